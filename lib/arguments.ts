/** Checks of GraphQL arguments shared by the subgraphs; each failure is a BAD_USER_INPUT naming the value. */
import { badUserInput } from './errors';
import { message } from './i18n/message';
import { CONTROL_CHARACTER, countryCode, encodingProblem, languageCode, readValue, type Check } from './validation';

export function countryArgument(value: string, argumentName = 'country'): string {
  const code = countryCode.normalize(value.trim());
  if (code === null) throw badUserInput(message('argument.countryCode', { value, argument: argumentName }), argumentName);
  return code;
}

export function languageArgument(value: string, argumentName = 'language'): string {
  const code = languageCode.normalize(value.trim());
  if (code === null) throw badUserInput(message('argument.languageCode', { value, argument: argumentName }), argumentName);
  return code;
}

/** A calendar year argument (the maintenance fee's, a quote's): BAD_USER_INPUT outside 1900 to 9999. */
export function yearArgument(year: number): number {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw badUserInput(message('argument.year', { year: String(year) }), 'year');
  return year;
}

/** A key or id as a client sent it: BAD_USER_INPUT naming it when it contains control characters. */
export function idArgument(value: string, argumentName: string): string {
  if (CONTROL_CHARACTER.test(value))
    throw badUserInput(message('argument.controlCharacters', { value: JSON.stringify(value), argument: argumentName }), argumentName);
  const problem = encodingProblem(value);
  if (problem !== null) throw badUserInput(message('field.refused', { field: argumentName, reason: problem }), argumentName);
  return value;
}

/**
 * A field of a mutation's input, read by one of the shared checks (lib/validation.ts, the same the
 * import uses): trimmed and normalized, or BAD_USER_INPUT whose message starts with the field's path
 * (`input.price.currency must be an ISO 4217 currency code like "EUR" (got "ABC")`), said in the
 * reader's language where the answer is written.
 */
export function inputField(value: string, field: string, check: Check): string {
  const read = readValue(check, value);
  if (read.ok) return read.value;
  throw badUserInput(message('field.refused', { field, reason: read.reason }), field);
}

/** An optional text field of an update: left out (undefined) stays, null or blank clears, else checked. */
export function optionalInputField(value: string | null | undefined, field: string, check: Check): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  return inputField(value, field, check);
}

/** A list of codes in an update: non-empty, each checked, no repeats after normalization; null is refused (the list cannot be cleared). */
export function inputCodeList(values: string[] | null | undefined, field: string, check: Check): string[] | undefined {
  if (values === undefined) return undefined;
  if (values === null || values.length === 0) throw badUserInput(message('argument.emptyList', { field }), field);
  const codes: string[] = [];
  values.forEach((value, i) => {
    const code = inputField(value, `${field}[${i}]`, check);
    if (codes.includes(code)) throw badUserInput(message('field.repeats', { field: `${field}[${i}]`, value: code }), `${field}[${i}]`);
    codes.push(code);
  });
  return codes;
}
