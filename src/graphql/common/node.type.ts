import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: 'An object with a global id. Every id is an EUID.' })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
