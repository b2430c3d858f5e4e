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
