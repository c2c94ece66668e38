export type LineageDirection = 'ANCESTORS' | 'DESCENDANTS' | 'BOTH';

export const RELATIONSHIP_TYPE_RE = /^[a-z][a-z0-9_]{0,63}$/;
export const DEFAULT_RELATIONSHIP_TYPE = 'generic';

export function isValidRelationshipType(t: string): boolean {
  return RELATIONSHIP_TYPE_RE.test(t);
}
