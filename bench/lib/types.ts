// Shapes shared by the load client (child process), the runner and every benchmark.

/** One request shape. `{{seq}}` becomes `<tag>-<index>` (unique within a load run), `{{uuid}}` a random UUID. */
export interface RequestTemplate {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. /graphql or /api/v1/objects?limit=100. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What the parent sends the load client on stdin. */
export interface LoadSpec {
  /** Base URL, http://127.0.0.1:<port>. */
  url: string;
  /** Used in round-robin order. */
  requests: RequestTemplate[];
  /** Stop after this many requests… */
  count: number;
  /** …or when this much time has passed (requests in flight are awaited), whichever comes first. */
  timeCapMs: number;
  concurrency: number;
  /** Makes `{{seq}}` unique across load runs of one benchmark. */
  tag: string;
  /** `graphql`: a response is ok when 2xx and its JSON body has no `errors`; `status`: when 2xx. */
  check: 'graphql' | 'status';
  /** Response headers to count (lower case), e.g. idempotency-replayed. */
  countHeaders?: string[];
  requestTimeoutMs?: number;
}

export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** What the load client prints on stdout (one JSON document). */
export interface LoadResult {
  tag: string;
  requested: number;
  completed: number;
  ok: number;
  failed: number;
  /** Transport failures (connection reset, timeout): no HTTP status. */
  transportErrors: number;
  /** True when the time cap, not the count, ended the run. */
  capped: boolean;
  elapsedMs: number;
  /** Completed requests per second (ok or not). */
  rps: number;
  /** Milliseconds, over every completed request. */
  latencyMs: LatencySummary;
  /** HTTP status → count. */
  statuses: Record<string, number>;
  /** GraphQL extensions.code (or `HTTP_<status>` / transport error name) → count, failures only. */
  errorCodes: Record<string, number>;
  errorSamples: string[];
  headerCounts: Record<string, number>;
}

/** Gateway-side figures for one load run, measured in the bench process. */
export interface ServerSide {
  /** SQL statements the gateway sent per completed request (Prisma + raw). */
  sqlPerRequest: number;
  /** CPU time of the gateway process per completed request, ms (embedded: includes PGlite). */
  cpuMsPerRequest: number;
  /** Event-loop utilisation of the gateway process during the run, 0–1. */
  eventLoopUtilization: number;
}

export interface Run {
  load: LoadResult;
  server: ServerSide;
}

/** The median across rounds of one side of a comparison. */
export interface SideSummary {
  label: string;
  role: 'baseline' | 'target';
  rounds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  ok: number;
  failed: number;
  sqlPerRequest: number;
  cpuMsPerRequest: number;
  eventLoopUtilization: number;
}

export interface Ratio {
  name: string;
  /** What the figure means, in one line. */
  meaning: string;
  value: number;
  /** How the value and its goal are printed: '×' (a ratio, the default), 'ms', '/s'. Benchmarks without a baseline (P5, P6) report absolute figures. */
  unit?: '×' | 'ms' | '/s';
  goal?: { op: '<=' | '>='; value: number };
  /** The same ratio per round pair (spread). */
  perRound?: number[];
}

export interface DatabaseInfo {
  mode: 'embedded' | 'postgres';
  version: string;
  /** Bench database name (PostgreSQL) or data directory (embedded). */
  location: string;
}

export interface BenchResult {
  id: string;
  title: string;
  baseline: string;
  goal: string;
  database: DatabaseInfo;
  options: Record<string, number>;
  sides: SideSummary[];
  ratios: Ratio[];
  rounds: { role: 'baseline' | 'target'; label: string; round: number; run: Run }[];
  checks: Record<string, unknown>;
  /** Extra lines for the printed report (counts, context). */
  notes?: string[];
  warnings: string[];
  durationMs: number;
}

export interface BenchContext {
  /** `--name=value` options from the command line (numbers). */
  option(name: string, fallback: number): number;
  log(line: string): void;
}

export interface Benchmark {
  id: string;
  title: string;
  /** What the figure is compared against, in the same run. */
  baseline: string;
  goal: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}
