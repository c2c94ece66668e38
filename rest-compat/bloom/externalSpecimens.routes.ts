// Bloom §1.11 /api/v1/external/specimens (atlas guard): request/response shapes
// only; the rules live in src/services/specimens/ (create with Bloom's own
// Idempotency-Key replay, by-reference lookup, get, patch).
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { RestDoor } from '../../src/http/app.js';
import { idempotencyKeyFrom } from '../../src/idempotency/keyHeader.js';
import { write } from '../../src/services/write.js';
import { ATLAS_REF_KEYS, normalizeAtlasRefs } from '../../src/services/specimens/atlasRefs.js';
import { requireAtlasAccess } from '../../src/services/specimens/requireAtlasAccess.js';
import { createExternalSpecimen, IDEMPOTENCY_PROPERTY } from '../../src/services/specimens/createExternalSpecimen.js';
import { updateExternalSpecimen } from '../../src/services/specimens/updateExternalSpecimen.js';
import { findExternalSpecimen, type ExternalSpecimen } from '../../src/services/specimens/readExternalSpecimens.js';
import { findSpecimensByReference } from '../../src/services/specimens/findSpecimensByReference.js';
import { BloomValidationError, parseBody } from './validation.js';

const refValue = z.string().nullish();
const AtlasRefsBody = z.object(Object.fromEntries(ATLAS_REF_KEYS.map((k) => [k, refValue])) as Record<(typeof ATLAS_REF_KEYS)[number], typeof refValue>);
const properties = z.record(z.string(), z.unknown());

export const CreateBody = z.object({
  specimen_template_code: z.string().default('content/specimen/generic/1.0'),
  specimen_name: z.string().nullish(),
  container_euid: z.string().nullish(),
  container_template_code: z.string().default('container/tube/generic/1.0'),
  status: z.string().default('active'),
  properties: properties.default({}),
  atlas_refs: AtlasRefsBody,
});

export const PatchBody = z.object({
  specimen_name: z.string().nullish(),
  status: z.string().nullish(),
  container_euid: z.string().nullish(),
  properties: properties.nullish(),
  atlas_refs: AtlasRefsBody.nullish(),
});

export const ByReferenceQuery = z.object(Object.fromEntries(ATLAS_REF_KEYS.map((k) => [k, z.string().optional()])) as Record<(typeof ATLAS_REF_KEYS)[number], z.ZodOptional<z.ZodString>>);

/** Bloom's model validator: some ref must be truthy (a non-empty string; whitespace passes here and is a 400 later). */
function requireSomeRef(refs: Record<string, string | null | undefined>): void {
  if (!Object.values(refs).some((v) => Boolean(v))) {
    throw new BloomValidationError([{ loc: ['body'], msg: 'Value error, At least one Atlas reference is required', type: 'value_error' }]);
  }
}

/** The trimmed Idempotency-Key header; blank counts as absent (Bloom), malformed is the gateway's 400. */
function bloomIdempotencyKey(req: Request): string | undefined {
  const header = req.headers['idempotency-key'];
  if (typeof header === 'string' && !header.trim()) return undefined;
  return idempotencyKeyFrom(typeof header === 'string' ? header.trim() : header);
}

const toBloom = (s: ExternalSpecimen, created: boolean) => {
  const props = s.specimen.properties as Record<string, unknown>;
  const key = props[IDEMPOTENCY_PROPERTY];
  return {
    specimen_euid: s.specimen.euid,
    container_euid: s.containerEuid,
    status: s.specimen.status,
    atlas_refs: s.atlasRefs,
    properties: props,
    idempotency_key: typeof key === 'string' ? key : null,
    created,
  };
};

export function externalSpecimenRoutes(door: RestDoor): Router {
  const r = Router();
  const serviceContext = door.context;

  // Bloom's own Idempotency-Key semantics (replay = 200 created:false with the current
  // state, any body), so not door.idempotent: the service looks the key up in its write.
  r.post(['/external/specimens', '/external/specimens/'], async (req, res) => {
    requireAtlasAccess(req.principal!, 'objects:write');
    const b = parseBody(CreateBody, req.body);
    requireSomeRef(b.atlas_refs);
    const idempotencyKey = bloomIdempotencyKey(req);
    const ctx = serviceContext(req);
    const out = await write({ ...ctx, actor: { ...ctx.actor, idempotencyKey: idempotencyKey ?? null } }, 'createExternalSpecimen', {
      idempotencyKey,
      specimenTemplateCode: b.specimen_template_code,
      specimenName: b.specimen_name,
      containerEuid: b.container_euid,
      containerTemplateCode: b.container_template_code,
      status: b.status,
      properties: b.properties,
      atlasRefs: b.atlas_refs,
    }, createExternalSpecimen);
    res.status(200).json(toBloom(out, out.created));
  });

  r.get('/external/specimens/by-reference', async (req, res) => {
    requireAtlasAccess(req.principal!, 'objects:read');
    const q = parseBody(ByReferenceQuery, req.query, 'query');
    const items = await findSpecimensByReference(serviceContext(req).db, normalizeAtlasRefs(q));
    res.json({ items: items.map((s) => toBloom(s, true)), total: items.length });
  });

  r.get('/external/specimens/:euid', async (req, res) => {
    requireAtlasAccess(req.principal!, 'objects:read');
    res.json(toBloom(await findExternalSpecimen(serviceContext(req).db, req.params.euid), true));
  });

  r.patch('/external/specimens/:euid', door.idempotent(PatchBody), async (req, res) => {
    requireAtlasAccess(req.principal!, 'objects:write');
    const b = parseBody(PatchBody, req.body);
    const out = await write(serviceContext(req), 'updateExternalSpecimen', {
      euid: String(req.params.euid),
      specimenName: b.specimen_name,
      status: b.status,
      containerEuid: b.container_euid,
      properties: b.properties ?? undefined,
      atlasRefs: b.atlas_refs,
    }, updateExternalSpecimen);
    res.json(toBloom(out, true));
  });

  return r;
}
