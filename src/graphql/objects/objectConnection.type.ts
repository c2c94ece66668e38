import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../common/pageInfo.type.js';
import { MaterialObject } from './object.type.js';
import type { ObjectFilterT } from '../../services/objects/readObjects.js';

@ObjectType()
export class MaterialObjectEdge {
  @Field(() => String) cursor!: string;
  @Field(() => MaterialObject) node!: MaterialObject;
}

@ObjectType({ description: 'Relay connection over material objects, oldest first.' })
export class MaterialObjectConnection {
  @Field(() => [MaterialObjectEdge]) edges!: MaterialObjectEdge[];
  @Field(() => [MaterialObject]) nodes!: MaterialObject[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  /** Resolved lazily (one COUNT) only when asked for. */
  @Field(() => Int) totalCount!: number;

  filter!: ObjectFilterT;
}
