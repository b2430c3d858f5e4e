/**
 * How many items one page of a list holds (docs/api.md "Lists"): `first`, 50 when it is left out or
 * null, between 0 and 500. The subgraphs serve pages by this rule (lib/pagination.ts) and the
 * gateway costs and refuses operations by it before they run (gateway/protection/operation-limits.ts), so the
 * two cannot disagree about what a page is.
 */
import { message, type Message } from './i18n/message';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The page size `first` asks for, or why it is refused (the message names the argument). */
export function pageSize(first: number | null | undefined): { size: number } | { refused: Message } {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE)
    return { refused: message('argument.pageSize', { max: MAX_PAGE_SIZE, value: String(size) }) };
  return { size };
}
