// Response shapes of the integration routes (bioAF §4 *Out models) as exact zod
// schemas — the OpenAPI document is generated from them — and the mapping from
// service records. Every optional field is present (null when empty); ids are
// the EUID sequence numbers, with the EUID itself as an additive `euid`.
import { z } from 'zod';
import type { ObjectRow } from '../../src/db/prisma.js';
import { customFieldList, customFieldsOf } from '../../src/services/integrations/customFields.js';
import { MODELS, codeOf, experimentProjectId, idOf, int, prop, sampleExperimentId, text } from '../../src/services/integrations/model.js';
import { SAMPLE_TEXT_FIELDS } from '../../src/services/integrations/schemas.js';
import type { FileRecord } from '../../src/services/integrations/files.js';
import type { Page } from '../../src/services/integrations/list.js';

const id = z.number().int();
const nullText = z.string().nullable();
const timestamp = z.string().describe('ISO-8601 UTC');
const CustomFieldOut = z.object({ field_name: z.string(), field_value: z.string().nullable() });

export const ProjectOut = z.object({
  id, euid: z.string(), external_id: nullText, name: z.string(), code: z.string(), description: nullText, hypothesis: nullText,
  status: z.string(), created_at: timestamp, custom_fields: z.array(CustomFieldOut),
});
export const ExperimentOut = z.object({
  id, euid: z.string(), external_id: nullText, name: z.string(), code: z.string(), project_id: id.nullable(), status: z.string(),
  hypothesis: nullText, description: nullText, expected_sample_count: id.nullable(), variables_json: z.record(z.string(), z.unknown()).nullable(),
  created_at: timestamp, custom_fields: z.array(CustomFieldOut),
});
export const SampleOut = z.object({
  id, euid: z.string(), external_id: nullText, experiment_id: id,
  ...(Object.fromEntries(SAMPLE_TEXT_FIELDS.map((f) => [f, nullText])) as Record<(typeof SAMPLE_TEXT_FIELDS)[number], typeof nullText>),
  cell_count: id.nullable(), assay: nullText, qc_status: nullText, status: z.string(), created_at: timestamp, custom_fields: z.array(CustomFieldOut),
});
export const FileOut = z.object({
  id, euid: z.string(), filename: z.string(), size_bytes: id.nullable(), md5_checksum: nullText, sha256_checksum: nullText, file_type: nullText,
  source_type: nullText, project_id: id.nullable(), experiment_id: id.nullable(), sample_ids: z.array(id), tags: z.array(z.string()),
  created_at: timestamp,
});
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next_cursor: z.string().nullable() });

type Out<S extends z.ZodType> = z.infer<S>;
const must = (n: number | null): number => n ?? 0;
const object = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export function projectOut(r: ObjectRow): Out<typeof ProjectOut> {
  const n = must(idOf(r.euid, MODELS.project.prefix));
  return {
    id: n, euid: r.euid, external_id: r.externalId, name: r.name, code: codeOf('project', n), description: text(r, 'description'),
    hypothesis: text(r, 'hypothesis'), status: r.status, created_at: r.createdAt.toISOString(), custom_fields: customFieldList(customFieldsOf(r)),
  };
}

export function experimentOut(r: ObjectRow): Out<typeof ExperimentOut> {
  const n = must(idOf(r.euid, MODELS.experiment.prefix));
  return {
    id: n, euid: r.euid, external_id: r.externalId, name: r.name, code: codeOf('experiment', n), project_id: experimentProjectId(r), status: r.status,
    hypothesis: text(r, 'hypothesis'), description: text(r, 'description'), expected_sample_count: int(r, 'expected_sample_count'),
    variables_json: object(prop(r, 'variables_json')), created_at: r.createdAt.toISOString(), custom_fields: customFieldList(customFieldsOf(r)),
  };
}

export function sampleOut(r: ObjectRow): Out<typeof SampleOut> {
  return {
    id: must(idOf(r.euid, MODELS.sample.prefix)), euid: r.euid, external_id: r.externalId, experiment_id: must(sampleExperimentId(r)),
    ...(Object.fromEntries(SAMPLE_TEXT_FIELDS.map((f) => [f, text(r, f)])) as Record<(typeof SAMPLE_TEXT_FIELDS)[number], string | null>),
    cell_count: int(r, 'cell_count'), assay: text(r, 'assay'), qc_status: text(r, 'qc_status'), status: r.status,
    created_at: r.createdAt.toISOString(), custom_fields: customFieldList(customFieldsOf(r)),
  };
}

export function fileOut({ row: r, sampleIds }: FileRecord): Out<typeof FileOut> {
  const tags = prop(r, 'tags');
  return {
    id: must(idOf(r.euid, MODELS.file.prefix)), euid: r.euid, filename: text(r, 'filename') ?? r.name, size_bytes: int(r, 'size_bytes'),
    md5_checksum: text(r, 'md5_checksum'), sha256_checksum: text(r, 'sha256_checksum'), file_type: text(r, 'file_type'),
    source_type: text(r, 'source_type'), project_id: idOf(text(r, 'project_euid'), MODELS.project.prefix),
    experiment_id: idOf(text(r, 'experiment_euid'), MODELS.experiment.prefix), sample_ids: sampleIds,
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [], created_at: r.createdAt.toISOString(),
  };
}

export const pageOut = <T, O>(p: Page<T>, shape: (t: T) => O) => ({ items: p.items.map(shape), next_cursor: p.nextCursor });
