import type { ChangeEvent } from '../recordChange.js';

export function lineageEvent(
  type: 'lineage.created' | 'lineage.deleted',
  edge: { euid: string; parentEuid: string; childEuid: string; relationshipType: string },
): ChangeEvent {
  return {
    type,
    euid: edge.euid,
    data: { euid: edge.euid, parentEuid: edge.parentEuid, childEuid: edge.childEuid, relationshipType: edge.relationshipType },
  };
}
