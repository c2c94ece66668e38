import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars.js';

@ObjectType({ description: 'A non-human caller; holds API keys.' })
export class ServiceAccount {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) role!: string;
  @Field(() => [String]) groups!: string[];
  @Field(() => Boolean) active!: boolean;
  @Field(() => Boolean, { description: 'The account behind LABGRAPH_BOOTSTRAP_ADMIN_KEY.' }) bootstrap!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;

  internalId!: number;

  static from(r: { id: number; euid: string; name: string; role: string; groups: string[]; active: boolean; bootstrap: boolean; createdAt: Date }): ServiceAccount {
    return Object.assign(new ServiceAccount(), { id: r.euid, internalId: r.id, name: r.name, role: r.role, groups: r.groups, active: r.active, bootstrap: r.bootstrap, createdAt: r.createdAt });
  }
}

@ObjectType({ description: 'An API key (never its secret).' })
export class ApiKey {
  @Field(() => ID, { description: 'lgk_<key id>: the public part of the token.' }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => ID) accountId!: string;
  @Field(() => [String]) scopes!: string[];
  @Field(() => String, { nullable: true }) createdBy!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Updated at most once a minute.' }) lastUsedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt!: Date | null;

  static from(r: { keyId: string; name: string; accountEuid: string; scopes: string[]; createdBy: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiKey {
    return Object.assign(new ApiKey(), {
      id: r.keyId === 'bootstrap' ? 'bootstrap' : `lgk_${r.keyId}`, name: r.name, accountId: r.accountEuid, scopes: r.scopes,
      createdBy: r.createdBy, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt,
    });
  }
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) key!: ApiKey;
  @Field(() => String, { description: 'The whole token, shown this once: `Authorization: Bearer <token>`.' }) token!: string;
}

@ObjectType({ description: 'A person.' })
export class User {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The identity provider's subject, or the e-mail of a local user." }) subject!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => [String]) groups!: string[];
  @Field(() => Boolean) active!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;

  static from(r: { euid: string; subject: string; email: string | null; name: string; role: string | null; groups: string[]; active: boolean; createdAt: Date }): User {
    return Object.assign(new User(), { id: r.euid, subject: r.subject, email: r.email, name: r.name, role: r.role, groups: r.groups, active: r.active, createdAt: r.createdAt });
  }
}

@ObjectType({ description: 'A self-service user token (never its secret).' })
export class UserToken {
  @Field(() => ID, { description: 'tok_<32 hex>' }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => ID) userId!: string;
  @Field(() => String, { description: 'internal_ro | internal_rw | admin: caps the owner’s role.' }) scope!: string;
  @Field(() => DateTimeScalar) expiresAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => String, { description: 'ACTIVE | REVOKED | EXPIRED' }) status!: string;

  static from(r: { tokenId: string; name: string; userEuid: string; scope: string; expiresAt: Date; revokedAt: Date | null; lastUsedAt: Date | null; createdAt: Date }): UserToken {
    const status = r.revokedAt ? 'REVOKED' : r.expiresAt.getTime() <= Date.now() ? 'EXPIRED' : 'ACTIVE';
    return Object.assign(new UserToken(), {
      id: r.tokenId, name: r.name, userId: r.userEuid, scope: r.scope, expiresAt: r.expiresAt, revokedAt: r.revokedAt, lastUsedAt: r.lastUsedAt, createdAt: r.createdAt, status,
    });
  }
}

@ObjectType()
export class CreatedUserToken {
  @Field(() => UserToken) token!: UserToken;
  @Field(() => String, { description: 'blm_<64 hex>, shown this once.' }) secret!: string;
}

@ObjectType({ description: 'One recorded use of a user token.' })
export class TokenUse {
  @Field(() => DateTimeScalar) usedAt!: Date;
  @Field(() => String) method!: string;
  @Field(() => String) route!: string;
  @Field(() => Int) status!: number;
}
