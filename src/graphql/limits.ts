// Depth and complexity limits, checked once per operation before execution, so a
// hostile query is refused before it costs anything.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError, Kind, getNullableType, isListType, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode,
  type SelectionSetNode,
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

export function limitsPlugin(schema: GraphQLSchema, limits: { maxDepth: number; maxComplexity: number }): ApolloServerPlugin {
  const tooComplex = (message: string) =>
    new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: ERRORS.QUERY_TOO_COMPLEX.status } } });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          const fragments = new Map(
            (document as DocumentNode).definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          if (!operation) return;
          const depth = operationDepth(operation, fragments);
          if (depth > limits.maxDepth) throw tooComplex(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`);
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (err) {
            // variables that do not coerce: the same answer execution would give
            throw new GraphQLError(err instanceof Error ? err.message : 'Invalid variables', {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          if (complexity > limits.maxComplexity) {
            throw tooComplex(`Query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`);
          }
        },
      };
    },
  };
}
