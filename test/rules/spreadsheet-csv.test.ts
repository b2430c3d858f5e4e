/**
 * The portal's CSV downloads (web/common/csv.ts), rule by rule: formula cells neutralised (OWASP
 * CSV injection), a UTF-8 byte order mark, and the separator of the reader's spreadsheet.
 * test/web/portal.test.ts downloads one from the page in a German and an English browser.
 */
import { csvSeparator, spreadsheetCsv } from '../../web/common/csv';

const BOM = '\uFEFF';

describe('the separator follows the reader’s language', () => {
  test.each(['de', 'de-DE', 'de-AT', 'de-CH', 'fr', 'fr-FR', 'fr-CH', 'it', 'it-IT', 'pl', 'pl-PL'])('%s: semicolon', (language) =>
    expect(csvSeparator(language)).toBe(';'),
  );
  test.each(['en', 'en-GB', 'en-US'])('%s: comma', (language) => expect(csvSeparator(language)).toBe(','));
  test('other languages follow their decimal mark: a decimal comma means a semicolon', () => {
    expect(csvSeparator('es-ES')).toBe(';');
    expect(csvSeparator('nl')).toBe(';');
    expect(csvSeparator('ja-JP')).toBe(',');
  });
  test('an unreadable language is English', () => expect(csvSeparator('not a language tag!')).toBe(','));
});

describe('the file', () => {
  test('starts with a UTF-8 byte order mark and ends every record with CRLF', () => {
    const csv = spreadsheetCsv(['package'], [['OnyxCeph³ 3D Pro'], ['Zahnärzte Müller']], 'de');
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1)).toBe('package\r\nOnyxCeph³ 3D Pro\r\nZahnärzte Müller\r\n');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  test('a cell beginning with = + - @, a tab or a carriage return is prefixed with a single quote', () => {
    const cells = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1'];
    const lines = spreadsheetCsv(
      ['cell'],
      cells.map((c) => [c]),
      'en',
    ).slice(1);
    expect(lines).toBe(`cell\r\n'=cmd|' /C calc'!A0\r\n'+1+1\r\n'-2+3\r\n'@SUM(A1)\r\n'\t=1\r\n"'\r=1"\r\n'＝1\r\n`);
  });

  test('other text, numbers (a negative one too), booleans and empty cells are written as they are', () => {
    const csv = spreadsheetCsv(['a', 'b', 'c', 'd', 'e'], [['OC3-0001', 99, -5, true, null]], 'en');
    expect(csv.slice(1)).toBe('a,b,c,d,e\r\nOC3-0001,99,-5,true,\r\n');
  });

  test('German: semicolons, and a cell holding one is quoted; a comma needs no quotes there', () => {
    const csv = spreadsheetCsv(['licenseKey', 'net', 'billedBy'], [['=HYPERLINK("http://x")', '99.00', 'Nordkiefer; Dental, GmbH']], 'de-DE');
    expect(csv).toBe(`${BOM}licenseKey;net;billedBy\r\n"'=HYPERLINK(""http://x"")";99.00;"Nordkiefer; Dental, GmbH"\r\n`);
  });
});
