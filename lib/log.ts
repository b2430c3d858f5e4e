/**
 * Structured log lines: one JSON object per line (pino) on stdout, so a log shipper can index them
 * and an error id from an answer finds its line. LOG_LEVEL sets the level (default info), through setLogLevel at the entry point.
 *
 * Every line written while a request is served carries that request's id (`requestId`): the
 * gateway accepts the caller's `x-request-id` or makes one, forwards it to every subgraph call and
 * names it on each line it writes for the request (gateway/http/access-log.ts says why not here); each
 * subgraph runs the request's work inside `withRequest`, whose store pino's mixin reads. One id
 * thus finds the gateway's access line and every subgraph line of the same request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';

import type { LogLevel } from './settings';

export type { LogLevel };

/** What a service knows about the request it is serving; read by every log line written for it. */
export interface RequestScope {
  requestId: string;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` as part of the request: log lines written from it (and what it awaits) carry its id. */
export const withRequest = <T>(scope: RequestScope, fn: () => T): T => requestScope.run(scope, fn);

/** The request being served here, if any. */
export const currentRequest = (): RequestScope | undefined => requestScope.getStore();

export const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's id is kept when it is short and plain (no spaces, quotes or control characters for log injection). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's request id when it is safe to log and forward, else a fresh one. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

const NO_FIELDS = Object.freeze({});

/**
 * pino's isoTime, formatted once per millisecond: a busy gateway writes many lines in the same one
 * (a cache hit is ~50 µs), and formatting the date was a third of a line's cost.
 */
let lastMillisecond = NaN;
let lastTime = '';
function isoTimeOfThisMillisecond(): string {
  const now = Date.now();
  if (now !== lastMillisecond) {
    lastMillisecond = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

function createLogger(destination?: DestinationStream, level: string = processLevel): Logger {
  return pino(
    {
      level,
      base: undefined, // no pid/hostname on every line: the platform's log shipper adds its own
      timestamp: isoTimeOfThisMillisecond,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const scope = requestScope.getStore();
        return scope ? { requestId: scope.requestId } : NO_FIELDS;
      },
      // pino's own strategy copies the line's fields into the mixin's object: none to add, none copied.
      mixinMergeStrategy: (fields, mixed) => (mixed === NO_FIELDS ? fields : Object.assign(mixed, fields)),
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** The level of this process's lines: LOG_LEVEL, which the entry point sets (setLogLevel); info until then. */
let processLevel: string = 'info';

/** The process's logger; services log through it (or through logEvent). */
export let logger: Logger = createLogger();

/** The entry point sets the process's level (LOG_LEVEL, parsed by the settings table) before anything logs. */
export function setLogLevel(level: LogLevel | 'silent'): void {
  processLevel = level;
  logger.level = level;
}

/** Lines gathered before one write (about fifty access lines), and the longest a line waits for its write. */
const LOG_WRITE_BYTES = 12_288;
const LOG_WRITE_EVERY_MS = 1000;

/**
 * From now on lines are written from a buffer in the background (pino's asynchronous destination),
 * LOG_WRITE_BYTES at a time or once a second, whichever comes first, and what is left is flushed
 * when the process exits. The gateway calls it: it writes an access line for every request, and a
 * write per line was one system call per request (synchronous: a tenth of a cache hit's CPU time;
 * asynchronous: still 4 % of the gateway's busy time under load). A process killed outright
 * (SIGKILL, out of memory) may lose its last second of lines; every other exit flushes them.
 */
export function writeLogsInBackground(): void {
  logger = createLogger(pino.destination({ dest: 1, sync: false, minLength: LOG_WRITE_BYTES, periodicFlush: LOG_WRITE_EVERY_MS }));
}

/**
 * Sends every line to `destination` from now on (tests capture the output this way); without one,
 * back to stdout. Returns the logger now in use.
 */
export function setLogDestination(destination?: DestinationStream, level?: string): Logger {
  logger = createLogger(destination, level);
  return logger;
}

/** One event as one line: `event` names it, `fields` are indexed beside it. */
export function logEvent(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  logger[level]({ event, ...fields });
}

/** Longest operation name an access line shows; clients choose names, and 500 KB ones are sent. */
export const MAX_LOGGED_OPERATION_NAME = 100;

/** The operation name as an access line shows it: cut to MAX_LOGGED_OPERATION_NAME characters and an ellipsis, and marked as cut. */
export function loggedOperationName(name: string | undefined): { operationName?: string; operationNameTruncated?: true } {
  if (name === undefined || name.length <= MAX_LOGGED_OPERATION_NAME) return { operationName: name };
  return { operationName: `${name.slice(0, MAX_LOGGED_OPERATION_NAME)}…`, operationNameTruncated: true };
}

/**
 * A database error as it may be logged: the statement without its values. MikroORM inlines every
 * parameter into the SQL it sends (so a failed statement's message, and the stack's first line,
 * read `insert into "license" … values ('Praxis Müller', 'ATU12345678') - <driver message>`), and
 * those values are holder names, VAT ids, addresses. Every string literal and number in the
 * statement becomes `?`; the driver's own message stays (it names the constraint or type, not the
 * row). Errors that carry no statement are returned unchanged.
 */
export function withoutSqlValues(error: { name?: string; message: string; stack?: string }): { name?: string; message: string; stack?: string } {
  const separator = error.message.lastIndexOf(' - ');
  const statement = separator > 0 ? error.message.slice(0, separator) : '';
  if (!SQL_STATEMENT.test(statement)) return error;
  const message = `${redactSqlValues(statement)} - ${error.message.slice(separator + 3)}`;
  // The stack repeats the message before its frames: keep the frames only.
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return { name: error.name, message, stack: [`${error.name ?? 'Error'}: ${message}`, ...frames].join('\n') };
}

const SQL_STATEMENT = /^\s*(select|insert|update|delete|with|create|alter|drop|begin|commit|savepoint|release|pragma|set)\b/i;

/** The statement with every literal value replaced by `?` (quoted identifiers stay). */
export function redactSqlValues(sql: string): string {
  return sql
    .replace(/[EeXx]?'(?:[^']|'')*'/g, '?') // string, escape-string and blob literals ('' is a quote inside)
    .replace(/(?<![\w"`.$])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w"`])/gi, '?') // numbers, not digits inside names
    .replace(/\b(true|false)\b/gi, '?');
}
