// `npm run keys -- <command>`: mint, list and revoke API keys without a running
// gateway (the way to the first admin key). Same services, same audit rows.
//   create --account NAME --role READ_ONLY|READ_WRITE|ADMIN [--scopes a,b] [--groups A,B] [--name KEY_NAME]
//   list
//   revoke lgk_<key id>
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.js';
import { openDatabase } from '../db/client.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { systemActor } from '../auth/actor.js';
import { write } from '../services/write.js';
import { createServiceAccount } from '../services/accounts/serviceAccounts.js';
import { createApiKey, revokeApiKey } from '../services/accounts/apiKeys.js';
import { listApiKeys } from '../services/accounts/readAccounts.js';
import { AppError } from '../errors/index.js';
import type { Role } from '../auth/actor.js';

const USAGE = `usage:
  npm run keys -- create --account NAME --role READ_ONLY|READ_WRITE|ADMIN [--scopes a,b] [--groups API_ACCESS,…] [--name KEY_NAME]
  npm run keys -- list
  npm run keys -- revoke lgk_<key id>`;

const csv = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

async function run(db: Database, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { account: { type: 'string' }, role: { type: 'string' }, scopes: { type: 'string' }, groups: { type: 'string' }, name: { type: 'string' } },
  });
  const ctx = { db, actor: systemActor('cli') };
  const [command, arg] = positionals;
  if (command === 'create') {
    if (!values.account) throw new AppError('BAD_USER_INPUT', `--account is required\n${USAGE}`);
    let account = await db.prisma.serviceAccount.findUnique({ where: { name: values.account } });
    if (!account) {
      if (!values.role) throw new AppError('BAD_USER_INPUT', `--role is required for a new account\n${USAGE}`);
      account = await write(ctx, 'createServiceAccount', { name: values.account, role: values.role as Role, groups: csv(values.groups) }, createServiceAccount);
      process.stderr.write(`created service account ${account.euid} "${account.name}" (${account.role}, groups ${account.groups.join(',')})\n`);
    } else if (values.role && values.role !== account.role) {
      throw new AppError('BAD_USER_INPUT', `account "${account.name}" exists with role ${account.role}; change its role with updateServiceAccount`);
    }
    const r = await write(ctx, 'createApiKey', { accountEuid: account.euid, name: values.name, scopes: csv(values.scopes) }, createApiKey);
    process.stderr.write(`minted lgk_${r.key.keyId} with scopes ${r.key.scopes.join(',')}; the key is printed once, below:\n`);
    process.stdout.write(`${r.token}\n`);
    return;
  }
  if (command === 'list') {
    for (const k of await listApiKeys(db)) {
      const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
      const id = k.keyId === 'bootstrap' ? 'bootstrap' : `lgk_${k.keyId}`;
      process.stdout.write(`${id}\t${k.accountEuid}\t${k.name}\t${state}\t${k.scopes.join(',')}\n`);
    }
    return;
  }
  if (command === 'revoke' && arg) {
    const r = await write(ctx, 'revokeApiKey', { keyId: arg }, revokeApiKey);
    process.stdout.write(`revoked lgk_${r.keyId}\n`);
    return;
  }
  throw new AppError('BAD_USER_INPUT', USAGE);
}

const config = loadConfig();
const db = await openDatabase(config).catch((err: unknown) => {
  process.stderr.write(`labgraph keys: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
try {
  await migrate(db);
  await run(db, process.argv.slice(2));
} catch (err) {
  process.stderr.write(`labgraph keys: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
