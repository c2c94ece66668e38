import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { DateTimeScalar, JSONScalar } from '../common/scalars.js';
import { PageInfo } from '../common/pageInfo.type.js';
import { readAuditLog } from '../../services/audit/readAuditLog.js';
import { encodeCursor } from '../../services/pagination.js';

@ObjectType({ description: 'One successful write: who, with which credential, what changed (old → new).' })
export class AuditEntry {
  @Field(() => ID, { description: 'ADT-… EUID' }) id!: string;
  @Field(() => DateTimeScalar) occurredAt!: Date;
  @Field(() => String, { description: 'service_account | user | system' }) actorKind!: string;
  @Field(() => String) actorId!: string;
  @Field(() => String, { nullable: true, description: 'Key or token id; never a secret.' }) credentialId!: string | null;
  @Field(() => String) operation!: string;
  @Field(() => String) entityType!: string;
  @Field(() => String) entityEuid!: string;
  @Field(() => JSONScalar, { description: '{ field: { old, new } }' }) changes!: unknown;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => String, { nullable: true }) idempotencyKey!: string | null;
}

@ObjectType()
class AuditEntryEdge {
  @Field(() => String) cursor!: string;
  @Field(() => AuditEntry) node!: AuditEntry;
}

@ObjectType({ description: 'The audit log, newest first.' })
class AuditEntryConnection {
  @Field(() => [AuditEntryEdge]) edges!: AuditEntryEdge[];
  @Field(() => [AuditEntry]) nodes!: AuditEntry[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
class AuditFilter {
  @Field(() => String, { nullable: true }) entityEuid?: string;
  @Field(() => String, { nullable: true }) actorId?: string;
  @Field(() => String, { nullable: true }) operation?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Inclusive.' }) from?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Exclusive.' }) to?: Date;
}

@ArgsType()
class AuditArgs {
  @Field(() => AuditFilter, { nullable: true }) filter?: AuditFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@Resolver()
export class AuditResolver {
  @Authorized('audit:read')
  @Query(() => AuditEntryConnection)
  async auditLog(@Args(() => AuditArgs) args: AuditArgs, @Ctx() ctx: RequestContext): Promise<AuditEntryConnection> {
    const page = await readAuditLog(ctx.db, { ...args.filter }, { first: args.first, after: args.after });
    const nodes = page.items.map((e) => Object.assign(new AuditEntry(), { ...e, id: e.euid }));
    return {
      nodes,
      edges: nodes.map((node) => ({ cursor: encodeCursor(node.id), node })),
      pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), startCursor: nodes.length ? encodeCursor(nodes[0].id) : null, endCursor: page.endCursor },
    };
  }
}
