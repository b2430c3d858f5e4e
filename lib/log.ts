/**
 * Structured log lines: one JSON object per line on stderr, so a log shipper can index them and an
 * error id from an answer finds its line. Kept to one function so that a real logger (pino) can
 * replace it in one place.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export function logEvent(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === 'info') console.log(line);
  else console.error(line);
}
