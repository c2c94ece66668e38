// The seed set: Bloom's common templates, so object-creation works out of the box.
import type { PropertySchema, JsonObject } from '../../domain/properties.js';

export interface TemplateDef {
  category: string;
  type: string;
  subtype: string;
  version: string;
  name: string;
  description: string;
  prefix: string;
  schema: PropertySchema;
  defaults: { layout?: { rows: number; columns: number }; properties?: JsonObject };
  /** Usable by code, not offered by the object-creation wizard. */
  hidden?: boolean;
}

const volume = { name: 'volume_ul', type: 'number', min: 0 } as const;
const concentration = { name: 'concentration_ng_ul', type: 'number', min: 0 } as const;
const mass = { name: 'mass_ng', type: 'number', min: 0 } as const;
const text = (name: string) => ({ name, type: 'string' }) as const;

const t = (
  code: string,
  name: string,
  prefix: string,
  description: string,
  schema: PropertySchema = {},
  defaults: TemplateDef['defaults'] = {},
): TemplateDef => {
  const [category, type, subtype, version] = code.split('/');
  return { category, type, subtype, version, name, description, prefix, schema, defaults };
};

export const STANDARD_TEMPLATES: TemplateDef[] = [
  t('container/tube/tube-generic-10ml/1.0', 'Generic 10 ml tube', 'BCN', 'Single-compartment tube, 10 ml.',
    { fields: [{ name: 'capacity_ml', type: 'number', min: 0 }] }, { properties: { capacity_ml: 10 } }),
  t('container/tube/generic/1.0', 'Generic tube', 'BCN', 'Single-compartment tube.'),
  t('container/plate/fixed-plate-96/1.0', '96-well plate', 'BCN', '8 × 12 plate, wells A1–H12.', {}, { layout: { rows: 8, columns: 12 } }),
  t('container/plate/fixed-plate-384/1.0', '384-well plate', 'BCN', '16 × 24 plate, wells A1–P24.', {}, { layout: { rows: 16, columns: 24 } }),
  t('container/box/generic/1.0', 'Storage box', 'BCN', 'Generic storage box (9 × 9).', {}, { layout: { rows: 9, columns: 9 } }),
  t('content/specimen/blood-whole/1.0', 'Whole blood specimen', 'BCT', 'Whole blood, e.g. EDTA tube draw.',
    { fields: [volume, { name: 'collection_date', type: 'string' }, { name: 'anticoagulant', type: 'string' }] }),
  t('content/specimen/blood-plasma/1.0', 'Plasma specimen', 'BCT', 'Plasma separated from whole blood.',
    { fields: [volume, { name: 'collection_date', type: 'string' }] }),
  t('content/specimen/generic/1.0', 'Generic specimen', 'BCT', 'Any specimen.', { fields: [volume] }),
  t('content/sample/gdna/1.0', 'gDNA sample', 'BCT', 'Extracted genomic DNA.', { fields: [volume, concentration, mass] }),
  t('content/sample/generic/1.0', 'Generic sample', 'BCT', 'Any derived sample.', { fields: [volume, concentration, mass] }),
  t('content/reagent/generic/1.0', 'Reagent', 'BCT', 'A reagent lot.',
    { fields: [volume, { name: 'lot_number', type: 'string' }, { name: 'expiry_date', type: 'string' }] }),
  t('subject/patient/generic/1.0', 'Patient', 'BSJ', 'A patient or donor.'),
  t('subject/generic/generic/1.0', 'Generic subject', 'BSJ', 'Any study subject.'),
  t('equipment/instrument/generic/1.0', 'Instrument', 'BEQ', 'A lab instrument.',
    { fields: [{ name: 'serial_number', type: 'string' }] }),
  t('data/generic/generic/1.0', 'Data record', 'BDT', 'A data record.'),
  t('file/generic/generic/1.0', 'File', 'BFX', 'A file (metadata only).',
    { fields: [{ name: 'filename', type: 'string' }, { name: 'size_bytes', type: 'integer', min: 0 }] }),
  // bioAF-style integration resources (/api/v1/integrations, src/services/integrations). Hidden from the
  // wizard: their rules (required external_id, experiment scope) are kept by the integration services.
  { ...t('project/generic/generic/1.0', 'Project', 'BPJ', 'A grouping of experiments (bioAF project).',
    { fields: [text('description'), text('hypothesis'), { name: 'custom_fields', type: 'object' }] }), hidden: true },
  { ...t('experiment/generic/generic/1.0', 'Experiment', 'BXP', 'A grouping of samples (bioAF experiment); project_euid names its project.',
    { fields: [text('project_euid'), text('description'), text('hypothesis'), { name: 'expected_sample_count', type: 'integer' },
      { name: 'variables_json', type: 'object' }, { name: 'custom_fields', type: 'object' }] }), hidden: true },
  { ...t('content/sample/integration/1.0', 'Integration sample', 'BCT', 'A sample registered by a LIMS (bioAF sample); external_scope is its experiment EUID.',
    { fields: [...['organism', 'tissue_type', 'donor_source', 'treatment_condition', 'chemistry_version', 'prep_notes', 'molecule_type',
      'library_prep_method', 'assay', 'qc_status'].map(text), { name: 'cell_count', type: 'integer' }, { name: 'custom_fields', type: 'object' }] }), hidden: true },
];

export const templateCode = (t: { category: string; type: string; subtype: string; version: string }) =>
  `${t.category}/${t.type}/${t.subtype}/${t.version}`;
