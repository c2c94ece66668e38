// Names are per test run (globalSetup sets LG_TEST_RUN), so two runs against one
// server never drop each other's databases.
const run = () => process.env.LG_TEST_RUN ?? 'local';

export const templateDb = () => `lg_template_${run()}`;
/** Prefix of every database a test file creates in this run. */
export const testDbPrefix = () => `lg_t_${run()}_`;

/** The server from DATABASE_URL, pointed at another database. */
export function dbUrl(name: string): string {
  const u = new URL(process.env.DATABASE_URL ?? '');
  u.pathname = `/${name}`;
  return u.toString();
}

export function adminUrl(): string {
  return dbUrl('postgres');
}
