import { registerEnumType } from 'type-graphql';

export enum ObjectKind {
  CONTAINER = 'container',
  CONTENT = 'content',
  EQUIPMENT = 'equipment',
  SUBJECT = 'subject',
  DATA = 'data',
  FILE = 'file',
}

registerEnumType(ObjectKind, { name: 'ObjectKind', description: 'Top-level category of a material object (its template category).' });

const KINDS = new Set<string>(Object.values(ObjectKind));
export const kindOf = (category: string): ObjectKind | null => (KINDS.has(category) ? (category as ObjectKind) : null);
