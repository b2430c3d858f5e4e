/** Client errors with the codes CONTRACT.md pins; the message always names the offending key or id. */
import { GraphQLError } from 'graphql';

export const notFound = (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
export const badUserInput = (message: string, argumentName?: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) } });
export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
