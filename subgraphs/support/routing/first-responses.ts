/**
 * Response-time commitments in the routing answer (docs/rules.md, "Response-time commitments"): for
 * each contact, then each escalation provider, its stated first-response commitment in the topic's
 * category and when a request made `now` can expect a first answer. Pure: the caller hands in the
 * route and the providers' hours; the counting of open time is lib/opening-hours.ts businessHoursLater.
 */
import type { SupportCategoryId } from '../../../lib/domain';
import { commitmentFor, type FirstResponseCommitment } from '../../../lib/first-response-commitments';
import { businessHoursLater } from '../../../lib/opening-hours';

/** What the rule reads of a provider: its commitments and the hours they are counted in. */
export interface ResponseFacts {
  country: string;
  businessHours?: string | null;
  timeZone?: string | null;
  firstResponseCommitments?: readonly FirstResponseCommitment[] | null;
}

export interface FirstResponseAnswer<P> {
  provider: P;
  /** The stated commitment for the category; null: none stated. */
  businessHours: number | null;
  /** ISO 8601 instant; null: no commitment, or no hours to count it in. */
  expectedBy: string | null;
}

/** One answer per contact, then per escalation provider, in the route's order. */
export function firstResponses<P extends ResponseFacts>(
  route: { contacts: readonly P[]; escalation: readonly P[] },
  category: SupportCategoryId,
  now: Date,
): FirstResponseAnswer<P>[] {
  return [...route.contacts, ...route.escalation].map((provider) => firstResponseOf(provider, category, now));
}

/** A provider's commitment and its expected time: none stated, or no hours to count in, is null (said plainly, never guessed). */
export function firstResponseOf<P extends ResponseFacts>(provider: P, category: SupportCategoryId, now: Date): FirstResponseAnswer<P> {
  const businessHours = commitmentFor(provider.firstResponseCommitments, category);
  return { provider, businessHours, expectedBy: businessHours === null ? null : businessHoursLater(provider, now, businessHours) };
}
