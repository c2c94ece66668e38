// LABGRAPH_BOOTSTRAP_ADMIN_KEY: the operator's chosen string becomes the credential
// of an ADMIN service account in every group. Only its hash is stored; changing
// the variable replaces it, removing it revokes it.
import type { Database } from '../db/database.js';
import { systemActor } from './actor.js';
import { hashSecret } from './credentials.js';
import { createServiceAccount } from '../services/accounts/serviceAccounts.js';
import { TX_OPTIONS } from '../services/write.js';
import { GROUPS } from './permissions.js';

export const BOOTSTRAP_ACCOUNT = 'bootstrap-admin';
const BOOTSTRAP_KEY_ID = 'bootstrap';

export type BootstrapState = 'configured' | 'admin_exists' | 'no_admin';

export async function ensureBootstrapAdmin(db: Database, key: string | undefined): Promise<BootstrapState> {
  const actor = systemActor('bootstrap');
  return db.prisma.$transaction(async (tx) => {
    // Several instances may boot at once: serialize on one advisory lock.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(72707370)`);
    let account = await tx.serviceAccount.findFirst({ where: { bootstrap: true } });
    const current = account ? await tx.apiKey.findUnique({ where: { keyId: BOOTSTRAP_KEY_ID } }) : null;
    if (key) {
      const hash = hashSecret(key);
      account ??= await createServiceAccount(tx, actor, { name: BOOTSTRAP_ACCOUNT, role: 'ADMIN', groups: [...GROUPS], bootstrap: true });
      // With the variable set the credential is always an active ADMIN in every group, whatever happened to the row.
      if (account.role !== 'ADMIN' || !account.active || GROUPS.some((g) => !account!.groups.includes(g))) {
        await tx.serviceAccount.update({ where: { id: account.id }, data: { role: 'ADMIN', active: true, groups: [...GROUPS] } });
      }
      if (!current) {
        await tx.apiKey.create({ data: { keyId: BOOTSTRAP_KEY_ID, accountId: account.id, name: 'LABGRAPH_BOOTSTRAP_ADMIN_KEY', scopes: [], hash, createdBy: actor.id } });
      } else if (current.hash !== hash || current.revokedAt) {
        await tx.apiKey.update({ where: { id: current.id }, data: { hash, revokedAt: null } });
      }
      return 'configured';
    }
    if (current && !current.revokedAt) await tx.apiKey.update({ where: { id: current.id }, data: { revokedAt: new Date() } });
    const admins = await tx.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM api_key k JOIN service_account a ON a.id = k.account_id
       WHERE a.role = 'ADMIN' AND a.active AND NOT a.bootstrap AND k.revoked_at IS NULL`,
    );
    return admins[0].n > 0 ? 'admin_exists' : 'no_admin';
  }, TX_OPTIONS);
}
