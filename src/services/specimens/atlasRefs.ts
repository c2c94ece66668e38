// Atlas references of an external specimen (Bloom §1.11): which keys exist, and
// how a caller's values are normalised. Stored as the object's external
// references with provider "atlas" (no Atlas service is configured, so values
// are stored as given, not validated against Atlas).
import { AppError } from '../../errors/index.js';

export const ATLAS_PROVIDER = 'atlas';

export const ATLAS_REF_KEYS = [
  'trf_euid',
  'patient_id',
  'order_euid',
  'shipment_euid',
  'kit_barcode',
  'atlas_tenant_id',
  'atlas_trf_euid',
  'atlas_test_euid',
] as const;
export type AtlasRefKey = (typeof ATLAS_REF_KEYS)[number];
export type AtlasRefs = Partial<Record<AtlasRefKey, string>>;

/** The given refs trimmed, blanks and unknown keys dropped. */
export function normalizeAtlasRefs(raw: Partial<Record<string, string | null | undefined>>): AtlasRefs {
  const out: AtlasRefs = {};
  for (const k of ATLAS_REF_KEYS) {
    const v = raw[k]?.trim();
    if (v) out[k] = v;
  }
  return out;
}

/** Normalised refs, at least one (Bloom: a ValueError, 400, when every given value is blank). */
export function requiredAtlasRefs(raw: Partial<Record<string, string | null | undefined>>): AtlasRefs {
  const refs = normalizeAtlasRefs(raw);
  if (!Object.keys(refs).length) throw new AppError('BAD_REQUEST', 'At least one Atlas reference is required', 'atlas_reference_required');
  return refs;
}

/** As reference inputs of createObject / updateObject. */
export const asReferences = (refs: AtlasRefs) =>
  Object.entries(refs).map(([type, value]) => ({ provider: ATLAS_PROVIDER, type, value: value as string }));
