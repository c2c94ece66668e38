import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Result of a delete or unlink.' })
export class DeletePayload {
  @Field(() => ID)
  euid!: string;

  @Field(() => Boolean)
  deleted!: boolean;

  @Field(() => Boolean, { description: 'True when the row was removed rather than hidden.' })
  hard!: boolean;

  static of(euid: string, hard = false): DeletePayload {
    return Object.assign(new DeletePayload(), { euid, deleted: true, hard });
  }
}
