// Writes schema/schema.graphql from the code: `npm run schema:emit`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchemaWithDirectives } from './printSchema.js';
import { buildLabgraphSchema } from './schema.js';
import { projectRoot } from '../config/projectRoot.js';

export const SCHEMA_FILE = path.join(projectRoot(), 'schema', 'schema.graphql');

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const sdl = printSchemaWithDirectives(await buildLabgraphSchema());
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, sdl);
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
