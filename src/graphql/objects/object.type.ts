import { Field, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import type { ObjectRow } from '../../db/prisma.js';
import { Node } from '../common/node.type.js';
import { DateTimeScalar, JSONObjectScalar } from '../common/scalars.js';
import { ObjectKind, kindOf } from './objectKind.js';

// simpleResolvers: these types' fields are plain properties with no field middleware or
// @Authorized (authorisation is on the root fields), so no type-graphql wrapper per field:
// graphql-jit reads the property inline. Field resolvers (template, parents…) are unaffected.
@ObjectType({ simpleResolvers: true, description: 'Wells of a container: rows × columns (A1 … P24).' })
export class Layout {
  @Field(() => Int) rows!: number;
  @Field(() => Int) columns!: number;
  @Field(() => Int) wellCount!: number;
}

@InterfaceType({
  implements: Node,
  description: 'Any object of the material graph: container, content, subject, equipment, data, file.',
  resolveType: (value: MaterialObject) => (value.category === 'container' ? 'Container' : value.category === 'content' ? 'Content' : 'GenericObject'),
})
export abstract class MaterialObject implements Node {
  @Field(() => ID, { description: 'The EUID.' }) id!: string;
  @Field(() => ID) euid!: string;
  @Field(() => ObjectKind, { nullable: true, description: 'Null for categories outside ObjectKind.' }) kind!: ObjectKind | null;
  @Field(() => String) category!: string;
  @Field(() => String) type!: string;
  @Field(() => String) subtype!: string;
  @Field(() => String) status!: string;
  @Field(() => String) name!: string;
  @Field(() => JSONObjectScalar) properties!: Record<string, unknown>;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => Boolean) deleted!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;

  /** Internal key for loaders; not a GraphQL field, never serialized. */
  internalId!: number;
  templateId!: number;
  row!: ObjectRow;
}

@ObjectType({ implements: [Node, MaterialObject], simpleResolvers: true, description: 'A container: tube, plate, box. Plates have a layout of wells.' })
export class Container extends MaterialObject {
  @Field(() => String, { nullable: true }) barcode!: string | null;
  @Field(() => Layout, { nullable: true }) layout!: Layout | null;
}

@ObjectType({ implements: [Node, MaterialObject], simpleResolvers: true, description: 'Content: a sample, specimen, reagent or pool.' })
export class Content extends MaterialObject {
  @Field(() => String, { nullable: true }) barcode!: string | null;
}

@ObjectType({ implements: [Node, MaterialObject], simpleResolvers: true, description: 'Subjects, equipment, data and file objects.' })
export class GenericObject extends MaterialObject {}

/** Maps a stored row to its GraphQL type; the only place an object row becomes public. */
export function toObject(row: ObjectRow): MaterialObject {
  const o: MaterialObject =
    row.category === 'container' ? new Container() : row.category === 'content' ? new Content() : new GenericObject();
  o.id = row.euid;
  o.euid = row.euid;
  o.kind = kindOf(row.category);
  o.category = row.category;
  o.type = row.type;
  o.subtype = row.subtype;
  o.status = row.status;
  o.name = row.name;
  o.properties = (row.properties ?? {}) as Record<string, unknown>;
  o.externalId = row.externalId;
  o.deleted = row.deletedAt !== null;
  o.createdAt = row.createdAt;
  o.updatedAt = row.updatedAt;
  o.internalId = row.id;
  o.templateId = row.templateId;
  o.row = row;
  if (o instanceof Container) {
    o.barcode = row.barcode;
    o.layout = row.layoutRows && row.layoutColumns
      ? { rows: row.layoutRows, columns: row.layoutColumns, wellCount: row.layoutRows * row.layoutColumns }
      : null;
  }
  if (o instanceof Content) o.barcode = row.barcode;
  return o;
}
