import type { ChangeEvent } from '../recordChange.js';

export const placementPlacedEvent = (containerEuid: string, contentEuid: string, position: string | null): ChangeEvent => ({
  type: 'container.content_placed',
  euid: containerEuid,
  data: { containerEuid, contentEuid, position },
});

export const placementRemovedEvent = (containerEuid: string, contentEuid: string, position: string | null): ChangeEvent => ({
  type: 'container.content_removed',
  euid: containerEuid,
  data: { containerEuid, contentEuid, position },
});
