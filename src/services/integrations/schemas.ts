// Request bodies of the integration routes (bioAF §4), validated once: the routes
// parse with them (422 lists), the OpenAPI document is generated from them, and
// Idempotency-Key fingerprints cover what they keep (unknown fields dropped).
import { z } from 'zod';

const externalId = z.string().min(1).max(255);
const name = z.string().min(1).max(255);
/** Optional, and null means "not given": a PATCH never clears a scalar (bioAF §3.6). */
const optText = z.string().nullish();
const optInt = z.number().int().nullish();

export const CustomField = z.object({ field_name: z.string().min(1).max(255), field_value: z.string().nullable().optional() });
export type CustomFieldIn = z.infer<typeof CustomField>;
const customFields = z.array(CustomField).max(500).nullish();

/** The server-side assay vocabulary (bioAF SAMPLE_ASSAYS). */
export const SAMPLE_ASSAYS = ['bulk_rna', 'scrna', 'other'] as const;

export const ProjectCreate = z.object({ external_id: externalId, name, description: optText, hypothesis: optText, custom_fields: customFields });
export const ProjectUpdate = z.object({ name: name.nullish(), description: optText, hypothesis: optText, custom_fields: customFields });

const experimentFields = {
  hypothesis: optText,
  description: optText,
  expected_sample_count: optInt,
  variables_json: z.record(z.string(), z.unknown()).nullish(),
  custom_fields: customFields,
};
export const ExperimentCreate = z.object({
  external_id: externalId,
  name,
  project_id: optInt,
  project_external_id: z.string().max(255).nullish(),
  ...experimentFields,
});
export const ExperimentUpdate = z.object({ name: name.nullish(), ...experimentFields });

export const SAMPLE_TEXT_FIELDS = [
  'organism', 'tissue_type', 'donor_source', 'treatment_condition', 'chemistry_version', 'prep_notes', 'molecule_type', 'library_prep_method',
] as const;
const sampleFields = {
  ...(Object.fromEntries(SAMPLE_TEXT_FIELDS.map((f) => [f, optText])) as Record<(typeof SAMPLE_TEXT_FIELDS)[number], typeof optText>),
  cell_count: optInt,
  assay: z.enum(SAMPLE_ASSAYS).nullish(),
  custom_fields: customFields,
};
export const SampleCreate = z.object({ external_id: externalId, experiment_id: z.number().int(), ...sampleFields });
export const SampleUpdate = z.object(sampleFields);

export type ProjectCreateInput = z.infer<typeof ProjectCreate>;
export type ProjectUpdateInput = z.infer<typeof ProjectUpdate>;
export type ExperimentCreateInput = z.infer<typeof ExperimentCreate>;
export type ExperimentUpdateInput = z.infer<typeof ExperimentUpdate>;
export type SampleCreateInput = z.infer<typeof SampleCreate>;
export type SampleUpdateInput = z.infer<typeof SampleUpdate>;

/** `limit` 1–200 (default 50); `cursor` is checked by the service (400 invalid_cursor, not 422). */
const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
};
const optId = z.coerce.number().int().optional();
export const ProjectListQuery = z.object({ status: z.string().optional(), external_id: z.string().optional(), q: z.string().optional(), ...page });
export const ExperimentListQuery = z.object({ project_id: optId, status: z.string().optional(), external_id: z.string().optional(), q: z.string().optional(), ...page });
export const SampleListQuery = z.object({ experiment_id: optId, external_id: z.string().optional(), q: z.string().optional(), ...page });
export const SampleByExternalQuery = z.object({ experiment_id: z.coerce.number().int() });
export const FileListQuery = z.object({ project_id: optId, experiment_id: optId, sample_id: optId, source_type: z.string().optional(), ...page });
export type ProjectListQueryT = z.infer<typeof ProjectListQuery>;
export type ExperimentListQueryT = z.infer<typeof ExperimentListQuery>;
export type SampleListQueryT = z.infer<typeof SampleListQuery>;
export type FileListQueryT = z.infer<typeof FileListQuery>;

/** A path id: an integer ≥ 1 (else 422, bioAF §4). */
export const PathId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
