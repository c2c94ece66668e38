import type { Database } from '../../db/database.js';
import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/authorize.js';
import { notFound } from '../../errors/index.js';

export function listServiceAccounts(db: Database) {
  return db.prisma.serviceAccount.findMany({ orderBy: { id: 'asc' } });
}

export async function listApiKeys(db: Database, accountEuid?: string) {
  const rows = await db.prisma.apiKey.findMany({
    where: accountEuid ? { account: { euid: accountEuid } } : {},
    include: { account: { select: { euid: true } } },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => ({ ...r, accountEuid: r.account.euid }));
}

export function listUsers(db: Database) {
  return db.prisma.user.findMany({ orderBy: { id: 'asc' } });
}

/** The caller's own tokens; another user's only for ADMIN (others see an empty list, not an error). */
export async function listUserTokens(db: Database, actor: Actor, userEuid?: string) {
  const admin = can(actor, 'accounts:admin');
  const where = userEuid ? (admin ? { user: { euid: userEuid } } : { user: { euid: userEuid, subject: actor.id } }) : { user: { subject: actor.id } };
  const rows = await db.prisma.userToken.findMany({ where, include: { user: { select: { euid: true } } }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({ ...r, userEuid: r.user.euid }));
}

export async function listTokenUses(db: Database, actor: Actor, tokenId: string, last: number) {
  const token = await db.prisma.userToken.findUnique({ where: { tokenId }, include: { user: { select: { subject: true } } } });
  if (!token || (token.user.subject !== actor.id && !can(actor, 'accounts:admin'))) throw notFound('Token', tokenId);
  const uses = await db.prisma.tokenUsage.findMany({ where: { tokenId: token.id }, orderBy: { id: 'desc' }, take: Math.min(Math.max(last, 1), 500) });
  return uses.map((u) => ({ usedAt: u.usedAt, method: u.method, route: u.route, status: u.status }));
}
