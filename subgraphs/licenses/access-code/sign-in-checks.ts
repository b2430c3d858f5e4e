/**
 * The scrypt work of sign-ins a licenses process takes on at once. Each check of an access code is
 * a 32 MiB scrypt (~50-120 ms of a core, lib/access-codes.ts): wrong codes spread over many license
 * keys and addresses pass the gateway's throttle, and unbounded they would queue on libuv's four
 * threads and starve everything else this process does. So at most `inFlight` checks run, at most
 * `waiting` more wait their turn (a short queue: a second or so of work), and an attempt beyond
 * that is answered SIGN_IN_BUSY at once, without any hashing (lib/sign-in-checks.ts): the client
 * tries again after `retryAfter` seconds, and the gateway's throttle does not count it.
 *
 * Hand-written: p-limit (only a transitive dependency here) queues without bound, and a bound with
 * an immediate refusal is the point.
 */
import { signInBusy } from '../../../lib/sign-in-checks';

export interface SignInCheckLimits {
  /** Checks running at once (each holds 32 MiB while it runs). */
  inFlight: number;
  /** Checks waiting for a turn; beyond them SIGN_IN_BUSY. */
  waiting: number;
}

/** Two at once (64 MiB), eight waiting: under a second of queued work on one core. */
export const DEFAULT_SIGN_IN_CHECK_LIMITS: SignInCheckLimits = { inFlight: 2, waiting: 8 };

export class SignInChecks {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limits: SignInCheckLimits = DEFAULT_SIGN_IN_CHECK_LIMITS) {}

  /** Runs `check` when a place is free; SIGN_IN_BUSY (thrown at once) when the queue is full. */
  async run<T>(check: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.inFlight) {
      if (this.queue.length >= this.limits.waiting) throw signInBusy(1);
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await check();
    } finally {
      // The place passes to the next in line, or is freed.
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Checks running and waiting (metrics, tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.queue.length };
  }
}
