// npx tsx bench/summary.ts bench/results/<file>.json …
// Rebuilds the summary (bench/results/summary.json and the table in docs/performance.md)
// from saved run files, in the order given (a later file replaces an earlier one's rows
// for the same benchmark and database). For when the latest run of a benchmark was a
// comparison, not the figure to publish.
import fs from 'node:fs';
import path from 'node:path';
import { resultsDir } from './lib/paths.js';
import { updateSummary } from './lib/summary.js';
import type { BenchResult } from './lib/types.js';

const files = process.argv.slice(2);
if (!files.length) {
  process.stderr.write('usage: npx tsx bench/summary.ts bench/results/<file>.json …\n');
  process.exit(2);
}
fs.rmSync(path.join(resultsDir, 'summary.json'), { force: true });
let doc: string | undefined;
for (const f of files) {
  const run = JSON.parse(fs.readFileSync(f, 'utf8')) as { startedAt: string; results: BenchResult[] };
  doc = updateSummary(run.results, run.startedAt.slice(0, 10), f);
}
process.stdout.write(`summary rebuilt from ${files.length} file(s)${doc ? `; table written to ${path.relative(process.cwd(), doc)}` : '; docs/performance.md has no bench markers'}\n`);
