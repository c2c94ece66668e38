// Cross-instance fan-out: every instance publishes what its dispatcher committed
// and hears everyone's, including its own (one path, one order per channel).
import type { Redis } from 'ioredis';
import type { LabEvent } from '../catalog.js';
import type { EventBus } from './eventBus.js';

export async function createRedisBus(redis: Redis, keyPrefix: string): Promise<EventBus> {
  const channel = `${keyPrefix}events`;
  const sub = redis.duplicate();
  sub.on('error', () => undefined);
  await sub.subscribe(channel);
  const handlers = new Set<(events: LabEvent[]) => void>();
  sub.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    let events: LabEvent[];
    try {
      events = JSON.parse(message) as LabEvent[];
    } catch {
      return;
    }
    for (const h of handlers) h(events);
  });
  return {
    async publish(events) {
      if (events.length) await redis.publish(channel, JSON.stringify(events));
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
      sub.disconnect();
    },
  };
}
