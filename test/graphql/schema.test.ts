import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLabgraphSchema } from '../../src/graphql/schema.js';
import { printSchemaWithDirectives } from '../../src/graphql/printSchema.js';
import { SCHEMA_FILE } from '../../src/graphql/emitSchema.js';

describe('schema/schema.graphql', () => {
  it('is up to date with the code (run `npm run schema:emit` after changing the schema)', async () => {
    const current = printSchemaWithDirectives(await buildLabgraphSchema());
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(current);
  });

  it('keeps the stable core names of DESIGN.md', async () => {
    const schema = await buildLabgraphSchema();
    const q = schema.getQueryType()!.getFields();
    for (const f of ['node', 'object', 'objects', 'objectByExternalId', 'lineage', 'me']) expect(q[f], f).toBeDefined();
    const m = schema.getMutationType()!.getFields();
    for (const f of ['createObject', 'updateObject', 'deleteObject', 'linkLineage', 'unlinkLineage', 'placeInContainer']) expect(m[f], f).toBeDefined();
    expect(String(q.lineage.type)).toBe('LineageGraph!');
    expect(q.lineage.args.find((a) => a.name === 'direction')?.defaultValue).toBe('BOTH');
    expect(q.lineage.args.find((a) => a.name === 'depth')?.defaultValue).toBe(3);
    expect(String(q.objects.type)).toBe('MaterialObjectConnection!');
    expect(String(m.deleteObject.type)).toBe('DeletePayload!');
    expect(String(m.placeInContainer.type)).toBe('Placement!');
    expect(String(m.linkLineage.type)).toBe('LineageEdge!');
  });
});
