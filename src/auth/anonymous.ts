import type { Principal } from './actor.js';

/** Until credentials are configured every caller is this principal. */
export function anonymousPrincipal(): Principal {
  return {
    id: 'anonymous',
    kind: 'anonymous',
    name: 'anonymous',
    role: 'ADMIN',
    groups: [],
    scopes: null,
    authSource: 'anonymous',
    credentialId: null,
  };
}
