// Query compilation (graphql-jit) behind Apollo's executor seam. Apollo still parses,
// validates, runs every plugin (limits, metrics label) and formats errors; only the
// execute step changes. Compiled documents are cached per (operation name, query text)
// in a bounded LRU. Anything graphql-jit does not do the way graphql-js does runs on
// graphql-js `execute` instead, so a response never depends on which engine served it:
//   - subscriptions and introspection (__schema / __type at the top level);
//   - documents graphql-jit cannot compile;
//   - variables that do not coerce (nothing has run yet; graphql-js words the errors
//     Apollo maps to BAD_USER_INPUT / 400).
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { BREAK, GraphQLError, execute, visit, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { makeTypeResolversSync } from './syncTypeResolvers.js';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type SchemaCallback = Parameters<Gateway['onSchemaLoadOrUpdate']>[0];

/** What the cache holds per document: the compiled query, or the reason it runs on graphql-js. */
type Fallback = 'subscription' | 'introspection' | 'compile';
type Entry = { compiled: CompiledQuery } | { fallback: Fallback };

/** Compiled documents kept (least recently used evicted first). */
const MAX_DOCUMENTS = 1000;

export interface JitExecutorOptions {
  /** Called once per document that graphql-jit refuses to compile. */
  onCompileError?: (message: string, operationName: string | null) => void;
  /** Called per execution: which engine ran it, and why graphql-js when it did. */
  onExecute?: (engine: 'jit' | 'graphql-js', reason: Fallback | 'compiled' | 'variables') => void;
}

/** Any __schema or __type field anywhere in the document (fragments included); checked once per document. */
function touchesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * graphql-jit's errors inherit from GraphQLError but skip its constructor: no
 * `extensions` object when the thrown error has none, which Apollo's error formatting
 * reads. Rebuilt here as graphql-js builds a resolver error (message, path, original
 * error and its extensions), with graphql-jit's locations (the same field nodes).
 */
function asGraphqlJsError(e: GraphQLError): GraphQLError {
  const err = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions });
  if (e.locations) Object.assign(err, { locations: e.locations });
  return err;
}

/** A small LRU over Map's insertion order. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

export function createJitExecutor(schema: GraphQLSchema, opts: JitExecutorOptions = {}): Executor {
  // A type resolver graphql-jit cannot call synchronously: serve everything on graphql-js.
  const asyncTypes = makeTypeResolversSync(schema);
  if (asyncTypes.length) opts.onCompileError?.(`async resolveType on ${asyncTypes.join(', ')}: graphql-jit disabled`, null);
  const cache = new Lru<Entry>(MAX_DOCUMENTS);

  const entryFor = (document: DocumentNode, operation: OperationDefinitionNode, source: string, operationName: string | null): Entry => {
    const key = `${operationName ?? ''}\n${source}`;
    let entry = cache.get(key);
    if (entry) return entry;
    if (asyncTypes.length) entry = { fallback: 'compile' };
    else if (operation.operation === 'subscription') entry = { fallback: 'subscription' };
    else if (touchesIntrospection(document)) entry = { fallback: 'introspection' };
    else {
      try {
        const c = compileQuery(schema, document, operationName ?? undefined);
        if (isCompiledQuery(c)) {
          entry = { compiled: c };
        } else {
          entry = { fallback: 'compile' };
          opts.onCompileError?.(c.errors?.[0]?.message ?? 'not compiled', operationName);
        }
      } catch (err) {
        entry = { fallback: 'compile' };
        opts.onCompileError?.(err instanceof Error ? err.message : String(err), operationName);
      }
    }
    cache.set(key, entry);
    return entry;
  };

  const executor: Executor = async (rc) => {
    const { document, operation, source, operationName, request, context } = rc;
    const graphqlJs = () =>
      execute({ schema, document, contextValue: context, variableValues: request.variables, operationName: request.operationName }) as Promise<ExecutionResult>;
    const entry = entryFor(document, operation, source, operationName);
    if (!('compiled' in entry)) {
      opts.onExecute?.('graphql-js', entry.fallback);
      return graphqlJs();
    }
    const result = await entry.compiled.query(undefined, context, request.variables ?? {});
    // No data at all means the variables did not coerce and no resolver ran.
    if (result.errors?.length && result.data === undefined) {
      opts.onExecute?.('graphql-js', 'variables');
      return graphqlJs();
    }
    opts.onExecute?.('jit', 'compiled');
    return result.errors?.length ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };
  return executor;
}

/**
 * Apollo's `gateway` option over a local schema: hands Apollo the schema (for parsing,
 * validation and the document cache) and the executor above.
 */
export function jitGateway(schema: GraphQLSchema, opts: JitExecutorOptions = {}): Gateway {
  const executor = createJitExecutor(schema, opts);
  const listeners = new Set<SchemaCallback>();
  return {
    onSchemaLoadOrUpdate(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async load() {
      for (const cb of listeners) cb({ apiSchema: schema, coreSupergraphSdl: '' });
      return { executor };
    },
    async stop() {
      listeners.clear();
    },
  };
}
