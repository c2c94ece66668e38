import type { LabEvent } from '../catalog.js';

/** Fan-out of published events to this instance's subscribers. */
export interface EventBus {
  publish(events: LabEvent[]): Promise<void>;
  subscribe(handler: (events: LabEvent[]) => void): () => void;
  close(): Promise<void>;
}
