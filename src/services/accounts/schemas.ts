import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../auth/permissions.js';
import { TOKEN_SCOPES } from '../../auth/userTokens.js';

const role = z.enum(ROLES);
const groups = z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'group names are letters, digits, _ and -')).max(50);
const name = z.string().trim().min(1).max(200);
const scopes = z.array(z.string()).max(PERMISSIONS.length).superRefine((list, ctx) => {
  const unknown = list.filter((s) => !(PERMISSIONS as readonly string[]).includes(s));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `Unknown scope(s): ${unknown.join(', ')}` });
});

export const CreateServiceAccount = z.object({ name, role, groups: groups.default(['API_ACCESS']) });
export type CreateServiceAccountInput = z.input<typeof CreateServiceAccount>;

export const UpdateServiceAccount = z.object({ euid: z.string().min(1), role: role.optional(), groups: groups.optional(), active: z.boolean().optional() });
export type UpdateServiceAccountInput = z.input<typeof UpdateServiceAccount>;

export const CreateApiKey = z.object({ accountEuid: z.string().min(1), name: name.default('default'), scopes: scopes.optional() });
export type CreateApiKeyInput = z.input<typeof CreateApiKey>;

export const RevokeApiKey = z.object({ keyId: z.string().regex(/^lgk_[A-Za-z0-9]{12}$/, 'an API key id: lgk_ and 12 characters') });
export type RevokeApiKeyInput = z.input<typeof RevokeApiKey>;

export const CreateUser = z.object({
  subject: z.string().trim().min(1).max(255).optional(),
  email: z.string().email().max(255).optional(),
  name,
  role: role.nullable().default('READ_ONLY'),
  groups: groups.default(['API_ACCESS']),
}).refine((v) => v.subject || v.email, { message: 'subject or email is required', path: ['subject'] });
export type CreateUserInput = z.input<typeof CreateUser>;

export const UpdateUser = z.object({ euid: z.string().min(1), name: name.optional(), role: role.nullable().optional(), groups: groups.optional(), active: z.boolean().optional() });
export type UpdateUserInput = z.input<typeof UpdateUser>;

const scopeNames = Object.keys(TOKEN_SCOPES) as [keyof typeof TOKEN_SCOPES, ...(keyof typeof TOKEN_SCOPES)[]];
export const CreateUserToken = z.object({
  /** EUID of another user (ADMIN only); the caller when absent. */
  userEuid: z.string().min(1).optional(),
  name: name.default('default'),
  scope: z.enum(scopeNames).default('internal_ro'),
  expiresAt: z.coerce.date().optional(),
  expiresInHours: z.number().int().min(1).max(24 * 366).optional(),
}).refine((v) => !(v.expiresAt && v.expiresInHours), { message: 'give expiresAt or expiresInHours, not both', path: ['expiresAt'] })
  .refine((v) => !v.expiresAt || v.expiresAt.getTime() > Date.now(), { message: 'must be in the future', path: ['expiresAt'] });
export type CreateUserTokenInput = z.input<typeof CreateUserToken>;

export const RevokeUserToken = z.object({ tokenId: z.string().regex(/^tok_[0-9a-f]{32}$/, 'a token id: tok_ and 32 hex characters') });
export type RevokeUserTokenInput = z.input<typeof RevokeUserToken>;
