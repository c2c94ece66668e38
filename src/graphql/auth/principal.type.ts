import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Who the caller is, as the gateway resolved their credential.' })
export class Principal {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'service_account | user | system' }) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => [String]) roles!: string[];
  @Field(() => [String]) groups!: string[];
  @Field(() => [String], { description: 'Effective permissions: role ∩ credential scopes.' }) permissions!: string[];
  @Field(() => [String], { nullable: true, description: 'Scopes of the credential; null when uncapped.' }) scopes!: string[] | null;
  @Field(() => String, { description: 'api_key | user_token | jwt | bootstrap' }) authSource!: string;
  @Field(() => String, { nullable: true, description: 'Public id of the key or token used.' }) credentialId!: string | null;
  @Field(() => String, { nullable: true, description: 'internal_ro | internal_rw | admin, for a user token.' }) tokenScope!: string | null;
}
