/** Client errors with the codes docs/api.md pins; the message always names the offending key or id. */
import { GraphQLError } from 'graphql';

export const notFound = (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
export const badUserInput = (message: string, argumentName?: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) } });
// Refusals by a resolver keep HTTP 200 (the answer is a GraphQL error, like NOT_FOUND): a subgraph
// answering 401/403 would read to the gateway as a failed subgraph rather than a refusal to relay.
/** An anonymous caller asked for something that needs an identity. */
export const signInRequired = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
/** A change based on a stale `version` (docs/guide.md "Partner self-service"): nothing was changed. */
export const conflict = (message: string) => new GraphQLError(message, { extensions: { code: 'CONFLICT' } });
