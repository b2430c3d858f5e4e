/** Checks of GraphQL arguments shared by the subgraphs; each failure is a BAD_USER_INPUT naming the value. */
import { badUserInput } from './errors';
import { CONTROL_CHARACTER, countryCode, encodingProblem, languageCode, readValue, type Check } from './validation';

export function countryArgument(value: string, argumentName = 'country'): string {
  const code = countryCode.normalize(value.trim());
  if (code === null) throw badUserInput(`"${value}" is not an ISO 3166-1 alpha-2 country code (argument ${argumentName})`, argumentName);
  return code;
}

export function languageArgument(value: string, argumentName = 'language'): string {
  const code = languageCode.normalize(value.trim());
  if (code === null) throw badUserInput(`"${value}" is not an ISO 639-1 language code (argument ${argumentName})`, argumentName);
  return code;
}

/** A key or id as a client sent it: BAD_USER_INPUT naming it when it contains control characters. */
export function idArgument(value: string, argumentName: string): string {
  if (CONTROL_CHARACTER.test(value))
    throw badUserInput(`${JSON.stringify(value)} is not a valid ${argumentName}: it contains control characters`, argumentName);
  const problem = encodingProblem(value);
  if (problem !== null) throw badUserInput(`${argumentName} ${problem}`, argumentName);
  return value;
}

/**
 * A field of a mutation's input, read by one of the shared checks (lib/validation.ts, the same the
 * import uses): trimmed and normalized, or BAD_USER_INPUT whose message starts with the field's path
 * (`input.price.currency must be an ISO 4217 currency code like "EUR" (got "ABC")`).
 */
export function inputField(value: string, field: string, check: Check): string {
  const read = readValue(check, value);
  if (read.ok) return read.value;
  throw badUserInput(`${field} ${read.reason}`, field);
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
  if (values === null || values.length === 0) throw badUserInput(`${field} must not be empty (leave it out to keep it as it is)`, field);
  const codes: string[] = [];
  values.forEach((value, i) => {
    const code = inputField(value, `${field}[${i}]`, check);
    if (codes.includes(code)) throw badUserInput(`${field}[${i}] repeats "${code}"`, `${field}[${i}]`);
    codes.push(code);
  });
  return codes;
}
