/** Checks of GraphQL arguments shared by the subgraphs; each failure is a BAD_USER_INPUT naming the value. */
import { COUNTRY_CODE, LANGUAGE_CODE } from './domain';
import { badUserInput } from './errors';

export function countryArgument(value: string, argumentName = 'country'): string {
  const code = value.trim().toUpperCase();
  if (!COUNTRY_CODE.test(code)) throw badUserInput(`"${value}" is not an ISO 3166-1 alpha-2 country code (argument ${argumentName})`, argumentName);
  return code;
}

export function languageArgument(value: string, argumentName = 'language'): string {
  const code = value.trim().toLowerCase();
  if (!LANGUAGE_CODE.test(code)) throw badUserInput(`"${value}" is not an ISO 639-1 language code (argument ${argumentName})`, argumentName);
  return code;
}

// C0 control characters and DEL: no key or id in the directory contains one, and a NUL byte breaks
// the database drivers (SQLite cuts the statement, PostgreSQL refuses it) into a server error.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** A key or id as a client sent it: BAD_USER_INPUT naming it when it contains control characters. */
export function idArgument(value: string, argumentName: string): string {
  if (CONTROL_CHARACTER.test(value)) throw badUserInput(`${JSON.stringify(value)} is not a valid ${argumentName}: it contains control characters`, argumentName);
  return value;
}
