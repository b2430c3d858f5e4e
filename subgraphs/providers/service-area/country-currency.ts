/**
 * The currency prices are quoted in for a country (ISO 3166-1 alpha-2 -> ISO 4217). Routing ranks
 * offers in the holder's currency before offers in other currencies. Countries missing here have no
 * preferred currency, which ranks every currency alike.
 */
// Bulgaria adopted the euro on 2026-01-01.
const EURO_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'CY',
  'DE',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PT',
  'SI',
  'SK',
  'AD',
  'MC',
  'SM',
  'VA',
  'ME',
  'XK',
];

const OTHER_CURRENCIES: Record<string, string> = {
  CH: 'CHF',
  LI: 'CHF',
  GB: 'GBP',
  US: 'USD',
  CA: 'CAD',
  AU: 'AUD',
  NZ: 'NZD',
  JP: 'JPY',
  CN: 'CNY',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
  DK: 'DKK',
  SE: 'SEK',
  NO: 'NOK',
  IS: 'ISK',
  TR: 'TRY',
  RS: 'RSD',
  BA: 'BAM',
  MK: 'MKD',
  AL: 'ALL',
  UA: 'UAH',
  IL: 'ILS',
  AE: 'AED',
  SA: 'SAR',
  IN: 'INR',
  BR: 'BRL',
  MX: 'MXN',
  AR: 'ARS',
  ZA: 'ZAR',
  KR: 'KRW',
  SG: 'SGD',
  TH: 'THB',
  RU: 'RUB',
};

export function currencyOfCountry(country: string): string | null {
  if (EURO_COUNTRIES.includes(country)) return 'EUR';
  return OTHER_CURRENCIES[country] ?? null;
}
