// @prisma/client is CommonJS with a re-exported module object that Node's ESM
// loader cannot see named exports in; import the default and re-export.
import prismaPkg from '@prisma/client';
import type { PrismaClient as PrismaClientType, Prisma as PrismaNs } from '@prisma/client';

export const { PrismaClient, Prisma } = prismaPkg;
export type PrismaClient = PrismaClientType;
export type Tx = PrismaNs.TransactionClient;
export type { Prisma as PrismaTypes } from '@prisma/client';
export type {
  MaterialObject as ObjectRow,
  Template as TemplateRow,
  LineageEdge as EdgeRow,
  Placement as PlacementRow,
  ExternalReference as ReferenceRow,
} from '@prisma/client';
