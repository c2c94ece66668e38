import { GraphQLDateTimeISO, GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';

export const DateTimeScalar = GraphQLDateTimeISO;
export { GraphQLJSON as JSONScalar, GraphQLJSONObject as JSONObjectScalar };
