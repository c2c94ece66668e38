// Depth and complexity limits, checked once per operation before execution, so a
// hostile query is refused before it costs anything.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError, Kind, getNamedType, getVariableValues, getNullableType, isListType, typeFromAST, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { createRequire } from 'node:module';
import type { ComplexityEstimator, getComplexity as GetComplexity, simpleEstimator as SimpleEstimator } from 'graphql-query-complexity';

// The package's ESM build imports graphql's .mjs files: a second graphql realm.
// Its CommonJS build shares the one graphql instance everything else uses.
const { getComplexity, simpleEstimator } = createRequire(import.meta.url)('graphql-query-complexity') as {
  getComplexity: typeof GetComplexity;
  simpleEstimator: typeof SimpleEstimator;
};
import { ERRORS } from '../errors/index.js';

export function operationDepth(op: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): number {
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        max = Math.max(max, sel.selectionSet ? 1 + visit(sel.selectionSet, seen) : 1);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, visit(sel.selectionSet, seen));
      } else {
        const name = sel.name.value;
        if (seen.has(name)) continue;
        max = Math.max(max, visit(fragments.get(name)?.selectionSet, new Set([...seen, name])));
      }
    }
    return max;
  };
  return visit(op.selectionSet, new Set());
}

/**
 * Lists multiply their children: by `first` when given, by 100 for lineage, by 10
 * for other lists. A connection's nodes/edges are already bounded by its `first`.
 */
const listEstimator: ComplexityEstimator = ({ type, args, field, childComplexity }) => {
  if (typeof args.first === 'number') return 1 + childComplexity * Math.max(args.first, 1);
  if (field.name === 'lineage') return 1 + childComplexity * 100;
  if (type.name.endsWith('Connection')) return 1 + childComplexity;
  if (isListType(getNullableType(field.type))) return 1 + childComplexity * 10;
  return undefined;
};

/**
 * What a complexity figure depends on besides the document: the coerced values of the
 * operation's Int and Boolean variables (a list's `first:` and @skip/@include `if:` are
 * the only variable inputs the estimators read). Variables of other types only have to
 * coerce, which the key's own getVariableValues checks.
 */
function variableKey(schema: GraphQLSchema, op: OperationDefinitionNode, variables: Record<string, unknown>): string | undefined {
  const defs = op.variableDefinitions ?? [];
  if (!defs.length) return '';
  const { coerced, errors } = getVariableValues(schema, defs, variables);
  if (errors?.length || !coerced) return undefined; // getComplexity reports the same errors
  let key = '';
  for (const d of defs) {
    const named = getNamedType(typeFromAST(schema, d.type));
    if (named?.name === 'Int' || named?.name === 'Boolean') key += `${d.variable.name.value}=${JSON.stringify(coerced[d.variable.name.value] ?? null)};`;
  }
  return key;
}

/** Per operation: its depth, and complexity per variable key (bounded; see variableKey). */
interface OperationLimits {
  depth: number;
  complexity: Map<string, number>;
}
const MAX_KEYS_PER_OPERATION = 64;

export function limitsPlugin(schema: GraphQLSchema, limits: { maxDepth: number; maxComplexity: number }): ApolloServerPlugin {
  const tooComplex = (message: string) =>
    new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: ERRORS.QUERY_TOO_COMPLEX.status } } });
  // Apollo's document cache hands the same DocumentNode (and OperationDefinitionNode) to
  // every request with the same text, so the figures live as long as its cache entry.
  // The operation node already names the operation a request resolved to.
  const byOperation = new WeakMap<OperationDefinitionNode, OperationLimits>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const doc = document as DocumentNode;
          let cached = byOperation.get(operation);
          if (!cached) {
            const fragments = new Map(
              doc.definitions
                .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
                .map((d) => [d.name.value, d]),
            );
            cached = { depth: operationDepth(operation, fragments), complexity: new Map() };
            byOperation.set(operation, cached);
          }
          if (cached.depth > limits.maxDepth) throw tooComplex(`Query depth ${cached.depth} exceeds the limit of ${limits.maxDepth}`);
          const variables = request.variables ?? {};
          const key = variableKey(schema, operation, variables);
          let complexity = key === undefined ? undefined : cached.complexity.get(key);
          if (complexity === undefined) {
            try {
              complexity = getComplexity({
                schema,
                query: doc,
                operationName: operation.name?.value,
                variables,
                estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
              });
            } catch (err) {
              // variables that do not coerce: the same answer execution would give
              throw new GraphQLError(err instanceof Error ? err.message : 'Invalid variables', {
                extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
              });
            }
            if (key !== undefined) {
              if (cached.complexity.size >= MAX_KEYS_PER_OPERATION) cached.complexity.clear();
              cached.complexity.set(key, complexity);
            }
          }
          if (complexity > limits.maxComplexity) {
            throw tooComplex(`Query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`);
          }
        },
      };
    },
  };
}
