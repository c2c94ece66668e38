import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars.js';
import { parsePosition } from '../../domain/wells.js';

@ObjectType({ description: 'Content held by a container, at a well position when the container has wells.' })
export class Placement {
  @Field(() => ID) containerEuid!: string;
  @Field(() => ID) contentEuid!: string;
  @Field(() => String, { nullable: true }) position!: string | null;
  @Field(() => Int, { nullable: true, description: '1-based row (A = 1).' }) row!: number | null;
  @Field(() => Int, { nullable: true, description: '1-based column.' }) column!: number | null;
  @Field(() => DateTimeScalar) placedAt!: Date;

  containerId!: number;
  contentId!: number;

  static from(p: { containerId: number; contentId: number; position: string | null; createdAt: Date }, containerEuid: string, contentEuid: string): Placement {
    const well = p.position ? parsePosition(p.position) : undefined;
    return Object.assign(new Placement(), {
      containerEuid,
      contentEuid,
      position: p.position,
      row: well?.row ?? null,
      column: well?.column ?? null,
      placedAt: p.createdAt,
      containerId: p.containerId,
      contentId: p.contentId,
    });
  }
}

@ObjectType({ description: 'A reference held outside labgraph: order, patient, kit barcode…' })
export class ExternalReference {
  @Field(() => String) provider!: string;
  @Field(() => String) type!: string;
  @Field(() => String) value!: string;
}
