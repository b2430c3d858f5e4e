/**
 * Response-time commitments (docs/rules.md, "Response-time commitments"): what a provider may state
 * and how it is read, in one place for the directory import, updateProvider and the admin's
 * setManufacturerFirstResponses. A commitment is a number of the provider's own business hours
 * within which it answers a first request in one support category it serves.
 */
import { ProviderRole, SupportCategoryId } from './domain';
import { message, type Message } from './i18n/message';

export interface FirstResponseCommitment {
  category: SupportCategoryId;
  /** Business hours, > 0, in quarter hours, at most MAX_FIRST_RESPONSE_HOURS. */
  businessHours: number;
}

/** Ten working weeks of 40 hours: anything longer is a typo, not a response time. */
export const MAX_FIRST_RESPONSE_HOURS = 400;

/**
 * The categories a provider serves by its roles (docs/rules.md, "Parties (providers)"): the
 * manufacturer Level 1 technical support (and Level 0 for licenses it sold itself) and software
 * maintenance; a distributor Level 0 technical support; a support partner user support and training.
 */
const SERVED_BY: Record<ProviderRole, SupportCategoryId[]> = {
  [ProviderRole.MANUFACTURER]: [SupportCategoryId.TECHNICAL_SUPPORT, SupportCategoryId.SOFTWARE_MAINTENANCE],
  [ProviderRole.DISTRIBUTOR]: [SupportCategoryId.TECHNICAL_SUPPORT],
  [ProviderRole.SUPPORT_PARTNER]: [SupportCategoryId.USER_SUPPORT],
};

const CATEGORY_ORDER = Object.values(SupportCategoryId);

/** The categories the roles serve, in the enum's order. */
export const categoriesServed = (roles: readonly ProviderRole[]): SupportCategoryId[] =>
  CATEGORY_ORDER.filter((category) => roles.some((role) => SERVED_BY[role].includes(category)));

/** Why `value` is not a commitment's number of business hours (continuing "businessHours …"), or undefined. */
export function firstResponseHoursProblem(value: unknown): Message | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return message('commitment.hoursNotANumber', { value: typeof value === 'number' ? String(value) : String(JSON.stringify(value)) });
  if (value <= 0 || value > MAX_FIRST_RESPONSE_HOURS) return message('commitment.hoursOutOfRange', { max: MAX_FIRST_RESPONSE_HOURS, value: String(value) });
  if (!Number.isInteger(value * 4)) return message('commitment.hoursQuarters', { value: String(value) });
  return undefined;
}

/** A problem with one commitment of a list: `index` null for the list as a whole. */
export interface CommitmentProblem {
  index: number | null;
  field: 'category' | 'businessHours' | null;
  reason: Message;
}

/**
 * What is wrong with a provider's list of commitments: each category at most once, only categories
 * its roles serve, hours as firstResponseHoursProblem says. `roles` undefined: not known (the record
 * could not be read), so the served categories are not checked.
 */
export function commitmentProblems(list: readonly FirstResponseCommitment[], roles: readonly ProviderRole[] | undefined): CommitmentProblem[] {
  const problems: CommitmentProblem[] = [];
  const served = roles && categoriesServed(roles);
  const seen = new Set<SupportCategoryId>();
  list.forEach(({ category, businessHours }, index) => {
    if (seen.has(category)) problems.push({ index, field: 'category', reason: message('commitment.repeated', { category }) });
    seen.add(category);
    if (served && !served.includes(category)) {
      problems.push({
        index,
        field: 'category',
        reason: message('commitment.notServed', { category, roles: roles.join(', '), served: served.join(', '), servesAny: String(served.length > 0) }),
      });
    }
    const hours = firstResponseHoursProblem(businessHours);
    if (hours) problems.push({ index, field: 'businessHours', reason: message('field.refused', { field: 'businessHours', reason: hours }) });
  });
  return problems;
}

/** The stored form: one per category, in the enum's order (so an unchanged list compares equal). */
export const inCategoryOrder = (list: readonly FirstResponseCommitment[]): FirstResponseCommitment[] =>
  [...list]
    .sort((a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category))
    .map(({ category, businessHours }) => ({ category, businessHours }));

/** The provider's commitment for a category; null when it states none. */
export const commitmentFor = (list: readonly FirstResponseCommitment[] | null | undefined, category: SupportCategoryId): number | null =>
  list?.find((c) => c.category === category)?.businessHours ?? null;
