import { z } from 'zod';
import { EVENT_TYPES } from '../catalog.js';

export const EventFilterInput = z.object({
  types: z.array(z.enum(EVENT_TYPES)).max(50).optional(),
  euids: z.array(z.string().min(1).max(64)).max(1000).optional(),
  externalIds: z.array(z.string().min(1).max(255)).max(1000).optional(),
  /** Events on any descendant of this EUID (and on the EUID itself). */
  descendantOf: z.string().min(1).max(64).optional(),
});
export type EventFilterT = z.infer<typeof EventFilterInput>;
