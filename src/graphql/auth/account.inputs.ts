import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars.js';

@InputType()
export class CreateServiceAccountInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'READ_ONLY | READ_WRITE | ADMIN' }) role!: 'READ_ONLY' | 'READ_WRITE' | 'ADMIN';
  @Field(() => [String], { nullable: true, description: 'Defaults to [API_ACCESS].' }) groups?: string[];
}

@InputType()
export class UpdateServiceAccountInput {
  @Field(() => String, { nullable: true }) role?: 'READ_ONLY' | 'READ_WRITE' | 'ADMIN';
  @Field(() => [String], { nullable: true, description: 'Replaces the group list.' }) groups?: string[];
  @Field(() => Boolean, { nullable: true, description: 'false disables the account and revokes all its keys.' }) active?: boolean;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID) accountId!: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => [String], { nullable: true, description: "Defaults to the account role's permissions; the role still caps them at request time." })
  scopes?: string[];
}

@InputType()
export class CreateUserInput {
  @Field(() => String, { nullable: true, description: "The identity provider's subject; defaults to the e-mail." }) subject?: string;
  @Field(() => String, { nullable: true }) email?: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Defaults to READ_ONLY.' }) role?: 'READ_ONLY' | 'READ_WRITE' | 'ADMIN';
  @Field(() => [String], { nullable: true, description: 'Defaults to [API_ACCESS].' }) groups?: string[];
}

@InputType()
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) role?: 'READ_ONLY' | 'READ_WRITE' | 'ADMIN';
  @Field(() => [String], { nullable: true }) groups?: string[];
  @Field(() => Boolean, { nullable: true }) active?: boolean;
}

@InputType()
export class CreateUserTokenInput {
  @Field(() => ID, { nullable: true, description: 'Another user (ADMIN only); yourself when absent.' }) userId?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true, description: 'internal_ro (default) | internal_rw | admin' }) scope?: 'internal_ro' | 'internal_rw' | 'admin';
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt?: Date;
  @Field(() => Int, { nullable: true, description: 'Default 48 (USER_TOKEN_DEFAULT_HOURS).' }) expiresInHours?: number;
}
