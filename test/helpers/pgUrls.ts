export const TEMPLATE_DB = 'lg_template';

/** The server from DATABASE_URL, pointed at another database. */
export function dbUrl(name: string): string {
  const u = new URL(process.env.DATABASE_URL ?? '');
  u.pathname = `/${name}`;
  return u.toString();
}

export function adminUrl(): string {
  return dbUrl('postgres');
}
