// Group membership as Bloom's admin routes see it (bloom-api.md §1.14). Groups are
// the system groups of auth/permissions.ts and membership is the `groups` array of
// a user row; a membership's history (joined, added by, deactivated) is read back
// from the audit rows createUser/updateUser wrote when the array changed.
import type { Tx } from '../../db/prisma.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../auth/actor.js';
import { GROUPS } from '../../auth/permissions.js';
import { AppError } from '../../errors/index.js';
import { findUserByRef, userRef } from './findUserByRef.js';
import { updateUser } from './users.js';

export interface GroupInfo {
  code: string;
  name: string;
  description: string;
}

export interface GroupMembership {
  groupCode: string;
  userEuid: string;
  active: boolean;
  joinedAt: Date | null;
  /** Public id of the principal that added the user (service account EUID or user subject). */
  addedBy: string | null;
  deactivatedAt: Date | null;
  deactivatedBy: string | null;
}

type History = Pick<GroupMembership, 'joinedAt' | 'addedBy' | 'deactivatedAt' | 'deactivatedBy'>;
type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;

interface GroupChange {
  entity_euid: string;
  occurred_at: Date | string;
  actor_id: string;
  old_groups: unknown;
  new_groups: unknown;
}

// entity_euid = ANY(...) keeps to the (entity_euid, id) index.
const HISTORY_SQL = `SELECT entity_euid, occurred_at, actor_id, changes->'groups'->'old' AS old_groups, changes->'groups'->'new' AS new_groups
  FROM audit_log
  WHERE entity_euid = ANY($2::text[]) AND entity_type = 'user'
    AND (changes->'groups'->'new' @> jsonb_build_array($1::text) OR changes->'groups'->'old' @> jsonb_build_array($1::text))
  ORDER BY id`;

/** Python's str.title() of the upper-cased code, as Bloom names its system groups ("Api Access"). */
const title = (code: string) => code.toUpperCase().replace(/_/g, ' ').toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());

const info = (code: string): GroupInfo => ({ code, name: title(code), description: `System group: ${code.toUpperCase()}` });

/** The system groups, ordered by code as Bloom orders them. */
export function listGroups(): GroupInfo[] {
  return [...GROUPS].sort((a, b) => a.toUpperCase().localeCompare(b.toUpperCase())).map(info);
}

const lookup = (raw: string) => GROUPS.find((g) => g.toUpperCase() === raw.trim().toUpperCase());

/** A system group by code, any case; 404 "Unknown group_code: X". */
export function findGroup(raw: string): GroupInfo {
  const code = lookup(raw);
  if (!code) throw new AppError('NOT_FOUND', `Unknown group_code: ${raw}`, 'group_not_found');
  return info(code);
}

const has = (groups: unknown, code: string) => Array.isArray(groups) && groups.includes(code);

/** Replays the audit rows: the latest join and leave of each user. */
function replay(rows: GroupChange[], code: string): Map<string, History> {
  const out = new Map<string, History>();
  for (const r of rows) {
    const before = has(r.old_groups, code);
    const after = has(r.new_groups, code);
    if (before === after) continue;
    const h = out.get(r.entity_euid) ?? { joinedAt: null, addedBy: null, deactivatedAt: null, deactivatedBy: null };
    const at = new Date(r.occurred_at);
    if (after) Object.assign(h, { joinedAt: at, addedBy: r.actor_id, deactivatedAt: null, deactivatedBy: null });
    else Object.assign(h, { deactivatedAt: at, deactivatedBy: r.actor_id });
    out.set(r.entity_euid, h);
  }
  return out;
}

/** The user row is the truth (a JWT user's groups follow their claims unaudited); history fills in the dates. */
function membership(code: string, user: { euid: string; groups: string[] }, h: History | undefined): GroupMembership | null {
  const active = user.groups.includes(code);
  if (!active && !h) return null;
  return {
    groupCode: code,
    userEuid: user.euid,
    active,
    joinedAt: h?.joinedAt ?? null,
    addedBy: h?.addedBy ?? null,
    deactivatedAt: active ? null : (h?.deactivatedAt ?? null),
    deactivatedBy: active ? null : (h?.deactivatedBy ?? null),
  };
}

async function history(query: Query, code: string, userEuids: string[]): Promise<Map<string, History>> {
  if (!userEuids.length) return new Map();
  return replay(await query<GroupChange>(HISTORY_SQL, [code, userEuids]), code);
}

const txQuery = (tx: Tx): Query => (sql, params) => tx.$queryRawUnsafe(sql, ...params);

/** Current and former members (users only), newest join first. */
export async function listGroupMembers(db: Database, groupCode: string) {
  const group = findGroup(groupCode);
  const users = await db.prisma.user.findMany({ select: { euid: true, groups: true }, orderBy: { id: 'asc' } });
  const past = await history((sql, params) => db.query(sql, params), group.code, users.map((u) => u.euid));
  const members = users.map((u) => membership(group.code, u, past.get(u.euid))).filter((m): m is GroupMembership => m !== null);
  const t = (d: Date | null) => d?.getTime() ?? -Infinity;
  members.sort((a, b) => t(b.joinedAt) - t(a.joinedAt));
  return { group, members };
}

export type MembershipResult = 'added' | 'exists' | 'reactivated';

/** Adding a member twice changes nothing ("exists"); a former member comes back "reactivated". */
export async function addGroupMember(tx: Tx, actor: Actor, input: { groupCode: string; userRef: string }) {
  const group = findGroup(input.groupCode);
  const user = await findUserByRef(tx, input.userRef);
  const past = (await history(txQuery(tx), group.code, [user.euid])).get(user.euid);
  if (user.groups.includes(group.code)) return { group, membership: membership(group.code, user, past)!, result: 'exists' as MembershipResult };
  const after = await updateUser(tx, actor, { euid: user.euid, groups: [...user.groups, group.code] });
  const joined: History = { joinedAt: new Date(), addedBy: actor.id, deactivatedAt: null, deactivatedBy: null };
  return { group, membership: membership(group.code, after, joined)!, result: (past ? 'reactivated' : 'added') as MembershipResult };
}

const membershipNotFound = () => new AppError('NOT_FOUND', 'Group membership not found', 'group_membership_not_found');

/** Removing a former member answers the inactive membership unchanged; a user who never was one is 404. */
export async function removeGroupMember(tx: Tx, actor: Actor, input: { groupCode: string; userRef: string }) {
  const code = lookup(input.groupCode);
  const ref = userRef(input.userRef);
  if (!code) throw membershipNotFound();
  const user = await findUserByRef(tx, ref).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'NOT_FOUND' ? membershipNotFound() : err;
  });
  const group = info(code);
  if (!user.groups.includes(code)) {
    const former = membership(code, user, (await history(txQuery(tx), code, [user.euid])).get(user.euid));
    if (!former) throw membershipNotFound();
    return { group, membership: former };
  }
  const after = await updateUser(tx, actor, { euid: user.euid, groups: user.groups.filter((g) => g !== code) });
  const left: History = { joinedAt: null, addedBy: null, deactivatedAt: new Date(), deactivatedBy: actor.id };
  return { group, membership: membership(code, after, left)! };
}
