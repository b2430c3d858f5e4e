/**
 * CSV downloads that open safely and correctly in the reader's spreadsheet (docs/portal.md "CSV
 * downloads"). Written by csv-stringify (quoting, doubled quotes, CRLF records) rather than by hand:
 * - Formula neutralising (OWASP "CSV injection"): a text cell beginning with `=`, `+`, `-`, `@`, a
 *   tab or a carriage return (or their full-width forms) gets a leading `'`, so a spreadsheet
 *   shows it as text instead of running it (a license key or a practice's name can be any text).
 *   csv-stringify's `escape_formulas`; numbers stay numbers (a negative number is no formula).
 * - A UTF-8 byte order mark first: without it Excel reads the file in the system's legacy code page
 *   and shows "OnyxCephÂ³" and broken umlauts.
 * - The separator the reader's spreadsheet expects: where the decimal mark is a comma (German,
 *   French, Italian, Polish, …) spreadsheets split CSV on `;`, elsewhere (English) on `,`.
 *   The reader's language is the browser's first language (what it sends as Accept-Language;
 *   api.ts `readerLanguage`).
 */
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null;

/** Languages whose spreadsheets separate CSV fields with `;` (those of the API's languages that do). */
const SEMICOLON_LANGUAGES = new Set(['de', 'fr', 'it', 'pl']);

/** The field separator a spreadsheet in `language` (a BCP 47 tag such as "de-AT") expects: `;` where the decimal mark is a comma, else `,`. */
export function csvSeparator(language: string): ',' | ';' {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0];
  if (SEMICOLON_LANGUAGES.has(primary)) return ';';
  try {
    // Any other language: as its decimal mark says (Spanish, Dutch, … use a comma, hence `;`).
    const decimal = new Intl.NumberFormat(language).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
    return decimal === ',' ? ';' : ',';
  } catch {
    return ',';
  }
}

/** The file's text: BOM, the header row and the rows, CRLF after each, formulas neutralised. */
export function spreadsheetCsv(head: readonly string[], rows: readonly (readonly CsvCell[])[], language: string): string {
  return (
    '\uFEFF' +
    stringify([head as CsvCell[], ...(rows as CsvCell[][])], {
      delimiter: csvSeparator(language),
      record_delimiter: 'windows',
      escape_formulas: true,
      // A lone CR or LF inside a cell is quoted too (csv-stringify quotes only the record delimiter, CRLF).
      quoted_match: /[\r\n]/,
      // Booleans as words (csv-stringify would write 1 and an empty cell).
      cast: { boolean: (value) => String(value) },
    })
  );
}
