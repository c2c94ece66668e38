// type-graphql wraps every user-given `resolveType` in an async function (it awaits the
// user's result, then maps a class to its type name). graphql-js accepts a promised type
// name; graphql-jit does not (it reads `.name` off the promise and reports "Abstract type
// … must resolve to an Object type"). So the wrapper is replaced, once per schema, by a
// synchronous one around the same user function from type-graphql's metadata, with the
// same class → name mapping. graphql-js gets the same answer from it, now without a tick.
import { getMetadataStorage } from 'type-graphql';
import { isInterfaceType, isUnionType, type GraphQLSchema, type GraphQLTypeResolver } from 'graphql';

type UserResolver = (...args: Parameters<GraphQLTypeResolver<unknown, unknown>>) => unknown;

const done = new WeakMap<GraphQLSchema, string[]>();

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/**
 * Makes the schema's interface and union type resolvers synchronous where the user's
 * function is. Returns the names of abstract types whose user function is declared
 * `async` (graphql-jit cannot serve those; the caller falls back to graphql-js).
 */
export function makeTypeResolversSync(schema: GraphQLSchema): string[] {
  const seen = done.get(schema);
  if (seen) return seen;
  const storage = getMetadataStorage();
  const nameOfClass = new Map<unknown, string>(storage.objectTypes.map((o) => [o.target, o.name]));
  const userResolvers = new Map<string, UserResolver>();
  for (const i of storage.interfaceTypes) if (i.resolveType) userResolvers.set(i.name, i.resolveType as UserResolver);
  for (const u of storage.unions) if (u.resolveType) userResolvers.set(u.name, u.resolveType as UserResolver);

  const toName = (r: unknown): string | undefined => {
    if (r === null || r === undefined) return undefined;
    if (typeof r === 'string') return r;
    return nameOfClass.get(r);
  };
  const asyncTypes: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInterfaceType(type) && !isUnionType(type)) continue;
    const user = userResolvers.get(type.name);
    if (!user) continue; // type-graphql's own instanceof resolver is already synchronous
    if (user.constructor.name === 'AsyncFunction') {
      asyncTypes.push(type.name);
      continue;
    }
    const resolver: GraphQLTypeResolver<unknown, unknown> = (value, context, info, abstractType) => {
      const r = user(value, context, info, abstractType);
      return isThenable(r) ? Promise.resolve(r).then(toName) : toName(r);
    };
    type.resolveType = resolver;
  }
  done.set(schema, asyncTypes);
  return asyncTypes;
}
