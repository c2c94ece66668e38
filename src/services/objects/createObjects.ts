// Bulk create: up to MAX_CREATE_OBJECTS objects in the caller's one write transaction,
// all or nothing. Each object gets exactly what createObject gives one object (the same
// input rules, template defaults and property checks, an EUID from its prefix's
// sequence, its references, one audit row `createObject` and the same events), but
// written with one multi-row INSERT per table instead of several statements per object.
import type { Tx, ObjectRow, TemplateRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { AppError, badInput } from '../../errors/index.js';
import { mintEuids } from '../mintEuid.js';
import { diffFields, newEventId } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { findTemplate } from '../templates/findTemplate.js';
import { CreateObject, type CreateObjectInput } from './schemas.js';
import { planObject, type PlannedObject } from './planObject.js';
import { auditedFields, objectEvents } from './objectEvents.js';
import { objectFromSql, type ObjectSqlRow } from './objectFromSql.js';

/** Objects per call: one call stays well inside the 30 s transaction timeout. */
export const MAX_CREATE_OBJECTS = 1000;

export interface CreateObjectsInput {
  inputs: CreateObjectInput[];
}

/** An input's error, with its index in front of the message and of every issue path. */
function atIndex(i: number, err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  const path = err.extra.issues?.[0]?.path.join('.');
  const message = path && err.message.startsWith(`${path}:`) ? `inputs.${i}.${err.message}` : `inputs.${i}: ${err.message}`;
  return new AppError(err.code, message, err.detail, {
    ...err.extra,
    ...(err.extra.issues ? { issues: err.extra.issues.map((x) => ({ ...x, path: ['inputs', i, ...x.path] })) } : {}),
  });
}


const OBJECT_COLUMNS = `euid text, category text, type text, subtype text, template_id int, status text, name text, properties jsonb,
  external_id text, external_scope text, barcode text, layout_rows int, layout_columns int, ord int`;

export async function createObjects(tx: Tx, actor: Actor, raw: CreateObjectsInput): Promise<ObjectRow[]> {
  const list: unknown = raw?.inputs;
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_CREATE_OBJECTS) {
    const message = `between 1 and ${MAX_CREATE_OBJECTS} inputs per call`;
    throw badInput(`inputs: ${message}`, [{ path: ['inputs'], message }]);
  }

  // Validate everything before the first write, so a bad input costs no SQL beyond template look-ups.
  const templates = new Map<string, Promise<TemplateRow>>();
  const planned: PlannedObject[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      const input = parseInput(CreateObject, list[i]);
      const ref = input.templateEuid ? `euid:${input.templateEuid}` : `code:${input.templateCode ?? ''}`;
      let t = templates.get(ref);
      if (!t) {
        t = findTemplate(tx, input);
        t.catch(() => undefined); // awaited below; a rejected look-up must not go unhandled meanwhile
        templates.set(ref, t);
      }
      planned.push(planObject(await t, input));
    } catch (err) {
      throw atIndex(i, err);
    }
  }

  // EUIDs per prefix, in input order (createObject one by one would mint the same ones).
  const euids: string[] = new Array<string>(planned.length);
  const byPrefix = new Map<string, number[]>();
  planned.forEach((p, i) => byPrefix.set(p.template.prefix, [...(byPrefix.get(p.template.prefix) ?? []), i]));
  for (const [prefix, idx] of byPrefix) {
    const minted = await mintEuids(tx, prefix, idx.length);
    idx.forEach((i, k) => (euids[i] = minted[k]));
  }

  const records = planned.map((p, i) => ({
    euid: euids[i],
    category: p.template.category,
    type: p.template.type,
    subtype: p.template.subtype,
    template_id: p.template.id,
    status: p.input.status ?? 'active',
    name: p.input.name ?? euids[i],
    properties: p.properties,
    external_id: p.input.externalId ?? null,
    external_scope: p.input.externalScope ?? '',
    barcode: p.input.barcode ?? null,
    layout_rows: p.layout?.rows ?? null,
    layout_columns: p.layout?.columns ?? null,
    ord: i,
  }));
  // A duplicate externalId (in the batch or against a live object) fails the statement
  // with a unique violation, which write() turns into 409 external_id_already_exists.
  const inserted = await tx.$queryRawUnsafe<ObjectSqlRow[]>(
    `INSERT INTO material_object (euid, category, type, subtype, template_id, status, name, properties, external_id, external_scope, barcode,
       layout_rows, layout_columns, updated_at)
     SELECT r.euid, r.category, r.type, r.subtype, r.template_id, r.status, r.name, r.properties, r.external_id, r.external_scope, r.barcode,
       r.layout_rows, r.layout_columns, now()
     FROM jsonb_to_recordset($1::jsonb) AS r(${OBJECT_COLUMNS})
     ORDER BY r.ord
     RETURNING *`,
    JSON.stringify(records),
  );
  const byEuid = new Map(inserted.map((r) => [r.euid, objectFromSql(r)]));
  const rows = euids.map((e) => {
    const r = byEuid.get(e);
    if (!r) throw new Error(`createObjects: ${e} was not inserted`);
    return r;
  });

  // References: createObject upserts them one by one, so the last of a repeated (provider, type) wins.
  const refs = new Map<string, { object_id: number; provider: string; ref_type: string; ref_value: string }>();
  planned.forEach((p, i) => {
    for (const r of p.input.references ?? []) {
      refs.set(JSON.stringify([i, r.provider, r.type]), { object_id: rows[i].id, provider: r.provider, ref_type: r.type, ref_value: r.value });
    }
  });
  if (refs.size) {
    await tx.$executeRawUnsafe(
      `INSERT INTO external_reference (object_id, provider, ref_type, ref_value)
       SELECT r.object_id, r.provider, r.ref_type, r.ref_value FROM jsonb_to_recordset($1::jsonb) AS r(object_id int, provider text, ref_type text, ref_value text)`,
      JSON.stringify([...refs.values()]),
    );
  }

  // One audit row and createObject's events per object, in one statement (recordChange's, for many).
  const audits = rows.map((row, ord) => ({
    ord,
    operation: 'createObject',
    entity_type: row.category,
    entity_euid: row.euid,
    changes: diffFields({}, auditedFields(row)),
  }));
  const events = rows.flatMap((row, i) =>
    objectEvents(row, 'created', { template: planned[i].template.euid }).map((e) => ({
      ord: 0,
      event_id: newEventId(),
      type: e.type,
      euid: e.euid,
      external_id: e.externalId ?? null,
      data: e.data,
    })),
  );
  events.forEach((e, ord) => (e.ord = ord));
  await tx.$executeRawUnsafe(
    `WITH audit AS (
       INSERT INTO audit_log (actor_kind, actor_id, credential_id, operation, entity_type, entity_euid, changes, request_id, idempotency_key)
       SELECT $1, $2, $3, a.operation, a.entity_type, a.entity_euid, a.changes, $4, $5
       FROM jsonb_to_recordset($6::jsonb) AS a(ord int, operation text, entity_type text, entity_euid text, changes jsonb)
       ORDER BY a.ord
     )
     INSERT INTO outbox_event (event_id, type, euid, external_id, data)
     SELECT e.event_id, e.type, e.euid, e.external_id, e.data
     FROM jsonb_to_recordset($7::jsonb) AS e(ord int, event_id text, type text, euid text, external_id text, data jsonb)
     ORDER BY e.ord`,
    actor.kind,
    actor.id,
    actor.credentialId,
    actor.requestId,
    actor.idempotencyKey,
    JSON.stringify(audits),
    JSON.stringify(events),
  );
  return rows;
}
