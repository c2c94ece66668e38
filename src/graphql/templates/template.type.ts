import { Field, ID, ObjectType } from 'type-graphql';
import type { TemplateRow } from '../../db/prisma.js';
import { Node } from '../common/node.type.js';
import { DateTimeScalar, JSONObjectScalar } from '../common/scalars.js';
import { Layout } from '../objects/object.type.js';
import { templateCode } from '../../services/templates/standardTemplates.js';

@ObjectType({ implements: Node, description: 'A template objects are created from: category/type/subtype/version.' })
export class Template implements Node {
  @Field(() => ID) id!: string;
  @Field(() => ID) euid!: string;
  @Field(() => String, { description: 'category/type/subtype/version' }) code!: string;
  @Field(() => String) category!: string;
  @Field(() => String) type!: string;
  @Field(() => String) subtype!: string;
  @Field(() => String) version!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { description: 'EUID prefix of instances.' }) instancePrefix!: string;
  @Field(() => JSONObjectScalar, { description: 'Instance property definitions.' }) propertySchema!: Record<string, unknown>;
  @Field(() => JSONObjectScalar) defaultProperties!: Record<string, unknown>;
  @Field(() => Layout, { nullable: true }) layout!: Layout | null;
  @Field(() => DateTimeScalar) createdAt!: Date;

  static from(row: TemplateRow): Template {
    const defaults = (row.defaults ?? {}) as { layout?: { rows: number; columns: number }; properties?: Record<string, unknown> };
    return Object.assign(new Template(), {
      id: row.euid,
      euid: row.euid,
      code: templateCode(row),
      category: row.category,
      type: row.type,
      subtype: row.subtype,
      version: row.version,
      name: row.name,
      description: row.description,
      instancePrefix: row.prefix,
      propertySchema: row.schema as Record<string, unknown>,
      defaultProperties: defaults.properties ?? {},
      layout: defaults.layout ? { ...defaults.layout, wellCount: defaults.layout.rows * defaults.layout.columns } : null,
      createdAt: row.createdAt,
    });
  }
}
