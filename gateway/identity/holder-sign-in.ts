/**
 * Holder sign-in, the gateway's half (`signIn(licenseKey, accessCode)`): the licenses subgraph holds
 * the access codes' hashes and says whether the code is right; the gateway holds JWT_SECRET, so it
 * mints the holder token. Keeping the secret in the one process that verifies tokens means no
 * subgraph can make one, and no signing capability travels between services.
 *
 * - Before the operation runs: at most one `signIn` per request (aliases would otherwise try many
 *   codes in one go), and the attempt passes the throttle (gateway/identity/sign-in-throttle.ts), which is
 *   keyed by the license key and the client's address, both known only here.
 * - Before the code is checked, the plugin reads which access code of the license is in force
 *   (gateway/identity/holder-standing.ts, read fresh). The token names that code, and is good only while it
 *   stays in force: a reissue or a transfer ends it. Read before the check, the id can only be of a
 *   code at least as old as the one checked, so a token never outlives the code it was signed in
 *   with (at worst, a sign-in that raced a reissue gets a token that is refused at once).
 * - After it ran: a `signIn` that answered without an error is the licenses subgraph's word that
 *   the code was right (only the gateway reaches it, with signed requests); the plugin writes the
 *   token it mints for that key (role `holder`, licenses [key], the code's id in `codeId`, the
 *   holder audience, a `jti`, `exp` SIGN_IN_TOKEN_MINUTES ahead; gateway/identity/identity.ts
 *   signHolderToken) and its expiry into the answer, under whatever aliases the client chose.
 *
 * Hand-written: Hive Gateway has JWT verification (useJWT) but nothing that issues tokens.
 */
import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  getOperationAST,
} from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { IncomingMessage } from 'node:http';
import { logEvent } from '../../lib/log';
import { signHolderToken } from './identity';
import { clientAddressOf, gatewayRequestOf } from '../http/access-log';
import type { SignInThrottle } from './sign-in-throttle';
import { SIGN_IN_BUSY, signInBusy } from '../../lib/sign-in-checks';
import type { Language } from '../../lib/i18n/languages';
import { translate } from '../../lib/i18n/translate';
import { readerLanguageOf } from '../http/reader-language';
import { localizedError } from '../../lib/errors';
import { message } from '../../lib/i18n/message';

export const SIGN_IN_FIELD = 'signIn';

export interface HolderSignInOptions {
  /** JWT_SECRET: the holder tokens are signed with it, like every token the gateway accepts. */
  secret: string;
  /** SIGN_IN_TOKEN_MINUTES: how long a holder token is valid. */
  tokenMinutes: number;
  throttle: SignInThrottle;
  /** The id of the license's access code in force, read now (gateway/identity/holder-standing.ts). */
  codeInForce: (licenseKey: string) => Promise<string | null>;
  now?: () => number;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
}

/** The fields of a selection set, through inline fragments and fragment spreads. */
function fieldsOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  return (set?.selections ?? []).flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, fragments, seen);
    if (seen.has(selection.name.value)) return [];
    seen.add(selection.name.value);
    return fieldsOf(fragments.get(selection.name.value)?.selectionSet, fragments, seen);
  });
}

const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;

const tooManyAttempts = (retryAfter: number, language: Language) =>
  new GraphQLError(translate(language, 'error.tooManySignIns', { seconds: retryAfter }), {
    extensions: { code: 'TOO_MANY_SIGN_IN_ATTEMPTS', retryAfter },
  });

const codeChanged = () => localizedError(message('error.codeChangedWhileSigningIn'), { code: 'UNAUTHENTICATED', reason: 'SIGN_IN_FAILED' });

export function useHolderSignIn(options: HolderSignInOptions): GatewayPlugin {
  const now = options.now ?? Date.now;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const fragments = fragmentsOf(args.document);
      const signIns = fieldsOf(operation.selectionSet, fragments).filter((field) => field.name.value === SIGN_IN_FIELD);
      if (signIns.length === 0) return;
      const req = (args.contextValue as { req?: IncomingMessage }).req;
      if (signIns.length > 1) {
        setResultAndStopExecution({
          errors: [new GraphQLError(translate(readerLanguageOf(req), 'error.signInOnce'), { extensions: { code: 'BAD_USER_INPUT' } })],
        });
        return;
      }
      const [field] = signIns;
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const argument = field.arguments?.find((a) => a.name.value === 'licenseKey');
      const given = argument ? valueFromASTUntyped(argument.value, variables) : undefined;
      // A missing or mistyped argument: validation refuses the operation, nothing to count.
      if (typeof given !== 'string') return;
      const licenseKey = given.trim();
      // Behind TRUSTED_PROXIES the client's own address, not the proxy's (gateway/http/client-address.ts).
      const address = req ? clientAddressOf(req) : 'unknown';
      const admission = await options.throttle.admit(licenseKey, address);
      const wait = admission.wait;
      if (wait > 0) {
        logEvent('warn', 'sign_in_throttled', { requestId: gatewayRequestOf(req)?.requestId, licenseKey: licenseKey.slice(0, 100), address, retryAfter: wait });
        setResultAndStopExecution({ data: null, errors: [tooManyAttempts(wait, readerLanguageOf(req))] });
        return;
      }
      let codeId: string | null;
      try {
        codeId = await options.codeInForce(licenseKey);
      } catch (error) {
        logEvent('error', 'sign_in_unverifiable', {
          requestId: gatewayRequestOf(req)?.requestId,
          message: error instanceof Error ? error.message : String(error),
        });
        await admission.notChecked();
        setResultAndStopExecution({ data: null, errors: [signInBusy()] });
        return;
      }
      const key = responseKey(field);
      return {
        async onExecuteDone({ result, setResult }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          const answer = result.data?.[key] as Record<string, unknown> | null | undefined;
          if (!answer || typeof answer !== 'object') {
            // The licenses subgraph had no room to check the code (SIGN_IN_BUSY): the attempt was not made.
            if (result.errors?.some((e) => e.extensions?.code === SIGN_IN_BUSY)) await admission.notChecked();
            return;
          }
          await options.throttle.succeeded(licenseKey, address);
          // No code was in force before the check, yet one was right: it was issued meanwhile.
          if (codeId === null) return setResult({ data: null, errors: [codeChanged()] });
          const exp = Math.floor(now() / 1000) + options.tokenMinutes * 60;
          const token = await signHolderToken(options.secret, licenseKey, codeId, exp);
          const filled: Record<string, unknown> = { ...answer };
          for (const sub of fieldsOf(field.selectionSet, fragments)) {
            if (sub.name.value === 'token') filled[responseKey(sub)] = token;
            if (sub.name.value === 'expiresAt') filled[responseKey(sub)] = new Date(exp * 1000).toISOString();
          }
          setResult({ ...result, data: { ...result.data, [key]: filled } });
        },
      };
    },
  };
}
