// Bloom-style token minting (bloom-api.md §1.13 POST /user-tokens, §1.14 POST
// /admin/user-tokens/issue): Bloom's minting rules, then the shared createUserToken.
import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { badInput } from '../../errors/index.js';
import { requireAdminPrivileges, requireApiAccess, requireTokenScopeAllowed, requireUserActor } from './accountPolicy.js';
import { findUserByRef } from './findUserByRef.js';
import { createUserToken } from './userTokens.js';

/** createUserToken's ceiling (expiresInHours ≤ 24 × 366, services/accounts/schemas.ts). */
const MAX_DAYS = 366;

export interface IssueUserTokenInput {
  /** EUID or subject of the owner (ADMIN only); the caller when absent. */
  userRef?: string;
  name: string;
  /** internal_ro | internal_rw | admin, any case. */
  scope: string;
  expiresInDays: number;
}

export async function issueUserToken(tx: Tx, actor: Actor, input: IssueUserTokenInput) {
  let userEuid: string | undefined;
  if (input.userRef === undefined) {
    requireUserActor(actor);
  } else {
    requireAdminPrivileges(actor);
    userEuid = (await findUserByRef(tx, input.userRef)).euid;
  }
  requireApiAccess(actor);
  const scope = requireTokenScopeAllowed(actor, input.scope);
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > MAX_DAYS) {
    throw badInput(`expires_in_days: must be between 1 and ${MAX_DAYS}`, [{ path: ['expires_in_days'], message: `Value error, tokens live at most ${MAX_DAYS} days` }]);
  }
  const hours = input.expiresInDays * 24;
  return createUserToken(tx, actor, { userEuid, name: input.name, scope, expiresInHours: hours, defaultHours: hours });
}
