import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node.type.js';
import { DateTimeScalar, JSONObjectScalar } from '../common/scalars.js';
import { MaterialObject } from '../objects/object.type.js';

export enum LineageDirection {
  ANCESTORS = 'ANCESTORS',
  DESCENDANTS = 'DESCENDANTS',
  BOTH = 'BOTH',
}
registerEnumType(LineageDirection, { name: 'LineageDirection' });

// simpleResolvers: plain properties, no field middleware or @Authorized (see object.type.ts).
@ObjectType({ implements: Node, simpleResolvers: true, description: 'A directed lineage edge parent → child.' })
export class LineageEdge implements Node {
  @Field(() => ID) id!: string;
  @Field(() => ID) euid!: string;
  @Field(() => ID) parentEuid!: string;
  @Field(() => ID) childEuid!: string;
  @Field(() => String) relationshipType!: string;
  @Field(() => JSONObjectScalar) properties!: Record<string, unknown>;
  @Field(() => DateTimeScalar) createdAt!: Date;

  static from(e: { euid: string; parentEuid: string; childEuid: string; relationshipType: string; properties: unknown; createdAt: Date }): LineageEdge {
    return Object.assign(new LineageEdge(), {
      id: e.euid,
      euid: e.euid,
      parentEuid: e.parentEuid,
      childEuid: e.childEuid,
      relationshipType: e.relationshipType,
      properties: (e.properties ?? {}) as Record<string, unknown>,
      createdAt: e.createdAt,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'How far a lineage node is from the root: negative for ancestors, positive for descendants.' })
export class LineageDistance {
  @Field(() => ID) euid!: string;
  @Field(() => Int) distance!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A lineage neighbourhood. `nodes` excludes the root.' })
export class LineageGraph {
  @Field(() => MaterialObject) root!: MaterialObject;
  @Field(() => [MaterialObject]) nodes!: MaterialObject[];
  @Field(() => [LineageEdge]) edges!: LineageEdge[];
  @Field(() => [LineageDistance], { description: 'Shortest distance of every node from the root.' }) distances!: LineageDistance[];
}
