/**
 * What the licenses subgraph (which checks access codes) and the gateway (which counts the attempts)
 * agree on when a sign-in cannot be checked now: each check is a 32 MiB scrypt, so a licenses
 * process checks only a few at a time and queues a few more (subgraphs/licenses/access-code/
 * sign-in-checks.ts); an attempt beyond that is answered SIGN_IN_BUSY with `retryAfter` seconds in
 * its extensions, and was not checked (the gateway gives its throttle points back).
 */
import { localizedError } from './errors';
import { message } from './i18n/message';

export const SIGN_IN_BUSY = 'SIGN_IN_BUSY';

export const signInBusy = (retryAfter = 1) => localizedError(message('error.signInBusy', { seconds: retryAfter }), { code: SIGN_IN_BUSY, retryAfter });
