import type { LabEvent } from '../catalog.js';
import type { EventBus } from './eventBus.js';

/** The embedded default: one process, direct calls. */
export function createInProcessBus(): EventBus {
  const handlers = new Set<(events: LabEvent[]) => void>();
  return {
    async publish(events) {
      for (const h of handlers) h(events);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
