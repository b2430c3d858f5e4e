/**
 * Client errors with the codes docs/api.md pins; the message always names the offending key or id.
 * Their messages are written for people: each error keeps its message (lib/i18n/message.ts) and is
 * said in English until the edge that answers knows the reader's language and says it again
 * (`inReaderLanguage`: lib/subgraph.ts for the subgraphs, gateway/protection/request-guard.ts for the
 * gateway). Codes and the other extensions never change with the language.
 */
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import { DEFAULT_LANGUAGE, type Language } from './i18n/languages';
import { say, sayWithin, type Message } from './i18n/message';

/** What a localized error is said from: its message, and extensions that may hold messages (`problems[].reason`). */
interface Said {
  message: Message;
  extensions: Record<string, unknown>;
}
const SAID = Symbol('said');

/** A GraphQL error whose message (and any message in its extensions) follows the reader's language. */
export function localizedError(message: Message, extensions: Record<string, unknown>, options: Omit<GraphQLErrorOptions, 'extensions'> = {}): GraphQLError {
  const error = new GraphQLError(say(DEFAULT_LANGUAGE, message), { ...options, extensions: sayWithin(DEFAULT_LANGUAGE, extensions) });
  Object.defineProperty(error, SAID, { value: { message, extensions } satisfies Said });
  return error;
}

/**
 * `error` (made by a library, e.g. GraphQL Armor's limits) said from `message` from now on: in
 * English at once, in the reader's language where the answer is written.
 */
export function withMessage<E extends GraphQLError>(error: E, message: Message): E {
  error.message = say(DEFAULT_LANGUAGE, message);
  Object.defineProperty(error, SAID, { value: { message, extensions: {} } satisfies Said, configurable: true });
  return error;
}

/** What `error` (or the error it wraps, as a located resolver error does) is said from; undefined for plain errors. */
function saidOf(error: unknown): Said | undefined {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { originalError?: unknown }).originalError, depth++) {
    const said = (cause as { [SAID]?: Said })[SAID];
    if (said) return said;
  }
  return undefined;
}

/**
 * `error`'s message and extensions said in `language`, in place (an error made for this one answer,
 * as a subgraph's are). Errors that are no localized error stay as they are.
 */
export function inReaderLanguage<E extends GraphQLError>(error: E, language: Language): E {
  const said = saidOf(error);
  if (!said) return error;
  error.message = say(language, said.message);
  Object.assign(error.extensions, sayWithin(language, said.extensions));
  return error;
}

/**
 * A copy of `error` said in `language`, leaving `error` as it is: for errors the gateway may hand to
 * several answers at once (its validation results are cached by document). Plain errors are returned as they are.
 */
export function copyInReaderLanguage(error: GraphQLError, language: Language): GraphQLError {
  const said = saidOf(error);
  if (!said) return error;
  return new GraphQLError(say(language, said.message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, ...sayWithin(language, said.extensions) },
  });
}

export const notFound = (message: Message) => localizedError(message, { code: 'NOT_FOUND' });
export const badUserInput = (message: Message, argumentName?: string) =>
  localizedError(message, { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) });
// Refusals by a resolver keep HTTP 200 (the answer is a GraphQL error, like NOT_FOUND): a subgraph
// answering 401/403 would read to the gateway as a failed subgraph rather than a refusal to relay.
/** An anonymous caller asked for something that needs an identity. */
export const signInRequired = (message: Message) => localizedError(message, { code: 'UNAUTHENTICATED' });
export const forbidden = (message: Message) => localizedError(message, { code: 'FORBIDDEN' });
/** A change based on a stale `version` (docs/guide.md "Partner self-service"): nothing was changed. */
export const conflict = (message: Message) => localizedError(message, { code: 'CONFLICT' });
