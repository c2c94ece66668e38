// /api/v1/integrations/files over real HTTP: read-only metadata of file objects
// (registered through GraphQL here), their project/experiment and the samples
// linked to them in the lineage graph, filters, pages, and file.* events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { link } from '../helpers/fixtures.js';
import { client, expectStatus } from './client.js';

let t: TestGateway;
const { call, assertNoInternalIds } = client(() => t);
let project: { id: number; euid: string };
let experiment: { id: number; euid: string };
let s1: { id: number; euid: string };
let s2: { id: number; euid: string };

async function newFile(properties: Record<string, unknown>, name = 'file'): Promise<string> {
  return ok(await t.gql(`mutation($i: CreateObjectInput!) { createObject(input: $i) { id } }`, {
    i: { templateCode: 'file/generic/generic/1.0', name, properties },
  })).createObject.id as string;
}
const idOf = async (euid: string) => (await call('GET', '/files?limit=200')).body.items.find((f: { euid: string }) => f.euid === euid)?.id as number;

beforeAll(async () => {
  t = await startTestGateway();
  project = expectStatus(await call('POST', '/projects', { external_id: 'F-P', name: 'P' }), 201).body;
  experiment = expectStatus(await call('POST', '/experiments', { external_id: 'F-E', name: 'E', project_id: project.id }), 201).body;
  s1 = expectStatus(await call('POST', '/samples', { external_id: 'F-S1', experiment_id: experiment.id }), 201).body;
  s2 = expectStatus(await call('POST', '/samples', { external_id: 'F-S2', experiment_id: experiment.id }), 201).body;
});
afterAll(async () => {
  await t?.close();
});

describe('GET /files/{id}', () => {
  it('shows the metadata, the project and experiment, and the linked samples; never a storage location', async () => {
    const euid = await newFile({
      filename: 'run1_R1.fastq.gz', size_bytes: 1234567, md5_checksum: 'd41d8cd98f00b204e9800998ecf8427e', sha256_checksum: 'e3b0c442',
      file_type: 'fastq', source_type: 'sequencer', tags: ['raw', 'lane1'], project_euid: project.euid, experiment_euid: experiment.euid,
      storage_uri: 'gs://bucket/secret/run1_R1.fastq.gz',
    });
    await link(t, s2.euid, euid);
    await link(t, s1.euid, euid);
    const id = await idOf(euid);
    const r = expectStatus(await call('GET', `/files/${id}`), 200);
    expect(r.body).toEqual({
      id, euid, filename: 'run1_R1.fastq.gz', size_bytes: 1234567, md5_checksum: 'd41d8cd98f00b204e9800998ecf8427e', sha256_checksum: 'e3b0c442',
      file_type: 'fastq', source_type: 'sequencer', project_id: project.id, experiment_id: experiment.id, sample_ids: [s1.id, s2.id].sort((a, b) => a - b),
      tags: ['raw', 'lane1'], created_at: expect.any(String),
    });
    expect(r.text).not.toContain('gs://');
    const [ev] = await t.testDb.db.query<{ data: unknown }>(`SELECT data FROM outbox_event WHERE euid = $1 AND type = 'file.registered'`, [euid]);
    expect(ev.data).toEqual({ file_id: id, filename: 'run1_R1.fastq.gz' });
  });

  it('fills absent metadata with nulls (filename falls back to the name); 404 file_not_found; 422 for a bad id', async () => {
    const euid = await newFile({}, 'bare.txt');
    const id = await idOf(euid);
    expect((await call('GET', `/files/${id}`)).body).toMatchObject({
      filename: 'bare.txt', size_bytes: null, md5_checksum: null, file_type: null, project_id: null, experiment_id: null, sample_ids: [], tags: [],
    });
    expect(await call('GET', '/files/999999')).toMatchObject({ status: 404, body: { detail: 'file_not_found' } });
    expect((await call('GET', '/files/-1')).status).toBe(422);
  });

  it('is read-only: no create, patch or delete route', async () => {
    expect((await call('POST', '/files', { filename: 'x' })).status).toBe(404);
    expect((await call('PATCH', '/files/1', { filename: 'x' })).status).toBe(404);
  });

  it('a file turning ready emits file.ready', async () => {
    const euid = await newFile({ filename: 'r.bam' });
    ok(await t.gql(`mutation($e: ID!) { updateObject(euid: $e, input: { status: "ready" }) { id } }`, { e: euid }));
    const rows = await t.testDb.db.query<{ data: unknown }>(`SELECT data FROM outbox_event WHERE euid = $1 AND type = 'file.ready'`, [euid]);
    expect(rows.map((r) => r.data)).toEqual([{ file_id: await idOf(euid), filename: 'r.bam' }]);
  });
});

describe('GET /files', () => {
  it('filters by project_id, experiment_id, sample_id and source_type, newest first, paged', async () => {
    const e2 = expectStatus(await call('POST', '/experiments', { external_id: 'F-E2', name: 'E2' }), 201).body;
    const a = await newFile({ filename: 'a', source_type: 'pipeline', experiment_euid: e2.euid });
    const b = await newFile({ filename: 'b', source_type: 'upload', experiment_euid: e2.euid });
    await link(t, s1.euid, b);
    const names = async (q: string) => (await call('GET', `/files?${q}`)).body.items.map((f: { filename: string }) => f.filename);
    expect(await names(`experiment_id=${e2.id}`)).toEqual(['b', 'a']);
    expect(await names(`experiment_id=${e2.id}&source_type=pipeline`)).toEqual(['a']);
    expect(await names(`sample_id=${s1.id}&experiment_id=${e2.id}`)).toEqual(['b']);
    expect(await names(`sample_id=${s2.id}`)).toEqual(['run1_R1.fastq.gz']);
    expect(await names(`project_id=${project.id}`)).toEqual(['run1_R1.fastq.gz']);
    expect(await names('project_id=999999')).toEqual([]);
    const p1 = (await call('GET', `/files?experiment_id=${e2.id}&limit=1`)).body;
    expect(p1.next_cursor).toBe(String(await idOf(b)));
    expect((await call('GET', `/files?experiment_id=${e2.id}&limit=1&cursor=${p1.next_cursor}`)).body.next_cursor).toBeNull();
    expect((await call('GET', '/files?sample_id=x')).status).toBe(422);
    expect((await call('GET', '/files?cursor=x')).body).toEqual({ detail: 'invalid_cursor' });
    expect(a).toMatch(/^BFX-/);
  });

  it('never answers with a uuid or an internal id', () => {
    assertNoInternalIds();
  });
});
