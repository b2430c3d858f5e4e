/**
 * Idempotency-Keys settled where the change commits: every subgraph that runs mutations serves them
 * through this one plugin (installed by lib/subgraph.ts), so no resolver has code of its own for it.
 *
 * For a mutation the gateway sent with a key (lib/idempotency.ts), before it runs:
 * - the key is claimed: a row (caller, hash of the key, fingerprint, `running`, a claim id) is
 *   inserted on its own; of two concurrent first requests the primary key lets exactly one in;
 * - a key already done answers its kept answer (`idempotent-replayed: true`) and runs nothing;
 *   one still running (or committed, its answer not yet kept) is IDEMPOTENCY_KEY_IN_USE; one used
 *   with another operation or other variables is IDEMPOTENCY_KEY_REUSED.
 * While it runs, every transaction it commits on this subgraph's database marks the row
 * `committed` inside that transaction (a MikroORM beforeTransactionCommit hook), and only while the
 * row still carries this run's claim id: the change and the mark commit together or not at all,
 * and a run whose claim a retry took over (after IDEMPOTENCY_LEASE_MS, its process presumed dead)
 * cannot commit any more. After it ran, its answer is sealed (lib/idempotency.ts) and kept
 * before the gateway hears it. So whatever fails in between (the gateway's timeout, a lost answer,
 * a retry through another gateway replica), a retry finds the committed row: it gets the answer,
 * or is told the change was made and its answer lost (IDEMPOTENCY_ANSWER_LOST: the process died
 * between the commit and keeping the answer), never a second run. A run that committed nothing
 * and failed unexpectedly gives the key back, so the retry runs.
 *
 * The run is found through the request's scope (lib/log.ts, an AsyncLocalStorage the subgraph
 * enters for every request): whatever transaction the request's resolvers open, on whichever
 * EntityManager fork, is this request's.
 *
 * Hand-written: neither Apollo Server nor MikroORM has idempotency keys.
 */
import { randomUUID } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type BaseContext, type GraphQLRequestContext, type GraphQLResponse } from '@apollo/server';
import { UniqueConstraintViolationException, type EventSubscriber, type TransactionEventArgs } from '@mikro-orm/core';
import { Kind, type DocumentNode, type FormattedExecutionResult, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { ANONYMOUS, type Identity } from './identity';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENT_REPLAYED_HEADER,
  IdempotencyCode,
  idempotencyKeyHash,
  idempotencyScope,
  idempotentRequestOf,
  openKeptAnswer,
  sealKeptAnswer,
  type IdempotentRequest,
} from './idempotency';
import { IdempotencyRecord } from './idempotency-record.entity';
import { currentRequest, logEvent, type RequestScope } from './log';
import type { SubgraphEM, SubgraphORM } from './orm';
import type { SecretKeyRing } from './secret-box';
import { localizedError } from './errors';
import { forwardedLanguage, type Language } from './i18n/languages';
import { message, say, type Message } from './i18n/message';

export interface IdempotentMutationsOptions {
  orm: SubgraphORM;
  /** SECRETS_KEYS (lib/secret-keys.ts): the server's half of the key that seals kept answers. */
  keys: SecretKeyRing;
  /**
   * Mutations that change nothing a second run could repeat and whose answer must not be kept
   * (signIn: it checks a code; a kept "right" would outlive the code). A request of only these runs
   * as if it had no key.
   */
  rerunSafe?: readonly string[];
}

/** The run of a mutation under a claimed key, as the request's transactions see it. */
interface Run {
  orm: SubgraphORM;
  scope: string;
  keyHash: string;
  claim: string;
  /** Until its answer is kept: transactions after that (background work the request started) are not its. */
  active: boolean;
}

const RUN = Symbol('idempotent run');
const CALLER = Symbol('idempotency caller');

/**
 * Files the caller a request's context was built for under the context (whose key it is). A
 * property, not a WeakMap entry: Apollo hands the plugins a copy of the context object.
 */
export function withIdempotencyCaller<T extends object>(context: T, caller: Identity): T {
  Object.defineProperty(context, CALLER, { value: caller, enumerable: true });
  return context;
}
const callerOfContext = (context: unknown): Identity => (context as { [CALLER]?: Identity } | undefined)?.[CALLER] ?? ANONYMOUS;
type Carrier = RequestScope & { [RUN]?: Run };

const runOf = (orm: SubgraphORM): Run | undefined => {
  const run = (currentRequest() as Carrier | undefined)?.[RUN];
  return run?.active && run.orm === orm ? run : undefined;
};

/**
 * The hook that settles the key in the change's transaction. Registered once on the subgraph's
 * ORM; a transaction outside a keyed mutation's request passes untouched.
 */
export function settleKeysInTransactions(orm: SubgraphORM): EventSubscriber {
  return {
    async beforeTransactionCommit(args: TransactionEventArgs) {
      const run = runOf(orm);
      if (!run) return;
      const marked = await (args.em as SubgraphEM).nativeUpdate(
        IdempotencyRecord,
        { scope: run.scope, keyHash: run.keyHash, claim: run.claim, state: { $in: ['running', 'committed'] } },
        { state: 'committed' },
        { ctx: args.transaction },
      );
      // Thrown before the commit: the transaction rolls back, nothing of this run is changed.
      if (marked !== 1) throw localizedError(message('idempotency.takenOver'), { code: IdempotencyCode.IN_USE });
    },
  };
}

type Claimed = { kind: 'claimed'; run: Run } | { kind: 'done'; answer: string | null | undefined } | { kind: 'in-use' } | { kind: 'reused' } | { kind: 'lost' };

/** Claims the key for a first run, or says what became of it. Expired keys are removed on the way. */
async function claimKey(orm: SubgraphORM, scope: string, asked: IdempotentRequest): Promise<Claimed> {
  const em = orm.em.fork() as SubgraphEM;
  const now = new Date();
  const keyHash = idempotencyKeyHash(asked.key);
  const claimed = (claim: string): Claimed => ({ kind: 'claimed', run: { orm, scope, keyHash, claim, active: true } });
  await em.nativeDelete(IdempotencyRecord, { expiresAt: { $lt: now } });
  const claim = randomUUID();
  try {
    await em.insert(IdempotencyRecord, {
      scope,
      keyHash,
      fingerprint: asked.fingerprint,
      state: 'running',
      claim,
      claimedAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
      answer: null,
    });
    return claimed(claim);
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
  const existing = await em.findOne(IdempotencyRecord, { scope, keyHash });
  // Expired and removed between the insert and this read: the next retry claims it.
  if (!existing) return { kind: 'in-use' };
  if (existing.fingerprint !== asked.fingerprint) return { kind: 'reused' };
  if (existing.state === 'done') return { kind: 'done', answer: existing.answer };
  const presumedLost = now.getTime() - new Date(existing.claimedAt).getTime() > IDEMPOTENCY_LEASE_MS;
  if (!presumedLost) return { kind: 'in-use' };
  // Committed and never done: its process died between the commit and keeping the answer.
  if (existing.state === 'committed') return { kind: 'lost' };
  // Running past the lease and never committed: take it over (its commits are refused from now on).
  const taken = await em.nativeUpdate(IdempotencyRecord, { scope, keyHash, claim: existing.claim, state: 'running' }, { claim, claimedAt: now });
  return taken === 1 ? claimed(claim) : { kind: 'in-use' };
}

/** The root fields a mutation operation asks for, through inline fragments and fragment spreads. */
function rootFields(operation: OperationDefinitionNode, document: DocumentNode): string[] {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const seen = new Set<string>();
  const fields = (set: SelectionSetNode | undefined): string[] =>
    (set?.selections ?? []).flatMap((s) => {
      if (s.kind === Kind.FIELD) return [s.name.value];
      if (s.kind === Kind.INLINE_FRAGMENT) return fields(s.selectionSet);
      if (seen.has(s.name.value)) return [];
      seen.add(s.name.value);
      return fields(fragments.get(s.name.value)?.selectionSet);
    });
  return fields(operation.selectionSet).filter((name) => name !== '__typename');
}

const answer = (singleResult: FormattedExecutionResult, headers: [string, string][] = []): GraphQLResponse => ({
  http: { status: undefined, headers: new HeaderMap(headers) },
  body: { kind: 'single', singleResult },
});
/** An answer of the plugin's own, before anything runs: said in the reader's language here (no later edge sees it). */
const refusal = (code: string, why: Message | string, language: Language) => answer({ errors: [{ message: say(language, why), extensions: { code } }] });

export function idempotentMutations<TContext extends BaseContext>(options: IdempotentMutationsOptions): ApolloServerPlugin<TContext> {
  const { orm, keys } = options;
  const rerunSafe = new Set(options.rerunSafe ?? []);
  /** What a known key answers instead of running. */
  function settled(claim: Exclude<Claimed, { kind: 'claimed' }>, scope: string, asked: IdempotentRequest, language: Language): GraphQLResponse {
    switch (claim.kind) {
      case 'reused':
        return refusal(IdempotencyCode.REUSED, message('idempotency.reused', { key: asked.key }), language);
      case 'in-use':
        return refusal(IdempotencyCode.IN_USE, message('idempotency.inUse', { key: asked.key }), language);
      case 'done':
        try {
          return answer(JSON.parse(openKeptAnswer(keys, scope, asked, claim.answer ?? '')) as FormattedExecutionResult, [[IDEMPOTENT_REPLAYED_HEADER, 'true']]);
        } catch {
          // Its server key left SECRETS_KEYS, or the row was changed: it is settled all the same.
          return lost(asked, language);
        }
      case 'lost':
        return lost(asked, language);
    }
  }
  const lost = (asked: IdempotentRequest, language: Language) =>
    refusal(IdempotencyCode.ANSWER_LOST, message('idempotency.answerLost', { key: asked.key }), language);

  /** Keeps the run's answer (sealed), or gives the key back when the run committed nothing and failed unexpectedly. */
  async function keep(run: Run, asked: IdempotentRequest, response: GraphQLRequestContext<BaseContext>['response']) {
    const em = orm.em.fork() as SubgraphEM;
    const mine = { scope: run.scope, keyHash: run.keyHash, claim: run.claim };
    const body = response.body;
    const result = body?.kind === 'single' ? body.singleResult : undefined;
    const unexpected = !result || (result.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
    // Nothing committed (the row still says running): a retry may run, the outcome is known to be "nothing".
    if (unexpected && (await em.nativeDelete(IdempotencyRecord, { ...mine, state: 'running' })) === 1) return;
    if (!result) return;
    await em.nativeUpdate(
      IdempotencyRecord,
      { ...mine, state: { $in: ['running', 'committed'] } },
      { state: 'done', answer: sealKeptAnswer(keys, run.scope, asked, JSON.stringify(result)) },
    );
  }

  return {
    async requestDidStart({ request }) {
      const language = forwardedLanguage(request.extensions);
      let asked: IdempotentRequest | undefined;
      let malformed: string | undefined;
      try {
        asked = idempotentRequestOf(request.extensions);
      } catch (error) {
        malformed = (error as Error).message;
      }
      if (!asked && !malformed) return;
      let run: Run | undefined;
      return {
        async responseForOperation(context) {
          const { operation, document } = context;
          if (operation?.operation !== 'mutation') return null;
          // Only a caller past the gateway sends a malformed key here (the gateway checks the header): its words, English.
          if (!asked) return refusal(IdempotencyCode.INVALID, malformed!, language);
          if (rootFields(operation, document).every((field) => rerunSafe.has(field))) return null;
          const scope = idempotencyScope(callerOfContext(context.contextValue));
          const claim = await claimKey(orm, scope, asked);
          if (claim.kind !== 'claimed') return settled(claim, scope, asked, language);
          const carrier = currentRequest() as Carrier | undefined;
          // No request scope (never, lib/http.ts enters one per request): the change could not be
          // settled in its transaction, so it does not run.
          if (!carrier) {
            await orm.em.fork().nativeDelete(IdempotencyRecord, { scope, keyHash: claim.run.keyHash, claim: claim.run.claim });
            return refusal('INTERNAL_SERVER_ERROR', message('idempotency.notSettled'), language);
          }
          run = claim.run;
          carrier[RUN] = run;
          return null;
        },
        async willSendResponse({ response }) {
          if (!run?.active || !asked) return;
          run.active = false;
          await keep(run, asked, response).catch((error: unknown) => {
            // The row stays running or committed: a retry waits for the lease, then runs or is told the answer is lost.
            logEvent('error', 'idempotency_answer_not_kept', { message: error instanceof Error ? error.message : String(error) });
          });
        },
      };
    },
  };
}
