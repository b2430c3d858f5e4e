/** Captures the log lines every service in this process writes (pino's destination), as parsed JSON. */
import { Writable } from 'node:stream';
import { setLogDestination } from '../../lib/log';

export interface CapturedLogs {
  /** Every line so far, as written. */
  lines: string[];
  /** Every line so far, parsed. */
  records(): Record<string, any>[];
  /** Back to the default destination. */
  restore(): void;
}

export function captureLogs(level = 'info'): CapturedLogs {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(line);
      done();
    },
  });
  // pino writes to a Writable synchronously enough for tests: each line is one write call.
  setLogDestination(stream, level);
  return { lines, records: () => lines.map((l) => JSON.parse(l)), restore: () => void setLogDestination() };
}
