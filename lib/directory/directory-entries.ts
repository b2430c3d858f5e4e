/**
 * A directory file as a sequence of entries, in file order: its records one at a time (each a
 * parsed JSON value at `providers[i]` or `licenses[i]`), where each list starts and ends, and the
 * problems with the file's shape around them (not an object, an unknown field, a list that is no
 * array). directory-file.ts validates the records; the import reads a file this way twice
 * (validate, then write) without ever holding more than one record.
 *
 * Two sources give the same entries: `entriesOf` for a value already parsed (the API's mutations,
 * the demo, tests), `readDirectoryEntries` for a file streamed from disk by `stream-json`'s
 * tokenizer (2.x: its 3.x line is ESM only, which our CommonJS build and ts-jest cannot load; a
 * record is assembled from tokens by its Assembler). Each record is handed on as soon as its last
 * token is read, so memory holds one record and one read buffer whatever the file's size.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import streamJson from 'stream-json';
import { message, type Message } from '../i18n/message';

// stream-json maps its modules through package "exports", which this build's module resolution
// (node10, for CommonJS) does not read: the Assembler's types are named by path, the module by its public name.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Assembler: typeof import('stream-json/src/assembler') = require('stream-json/assembler.js');
type Assembler = InstanceType<typeof Assembler>;

export interface DirectoryProblem {
  path: string;
  /** Said in English by the import (scripts/import.ts), in the reader's language by the API's mutations. */
  reason: Message;
}

/** The path of problems that concern the file as a whole. */
export const FILE_PATH = '(file)';

export const DIRECTORY_LISTS = ['providers', 'licenses'] as const;
export type DirectoryList = (typeof DIRECTORY_LISTS)[number];

export type DirectoryEntry =
  | { kind: 'record'; list: DirectoryList; index: number; value: unknown }
  | { kind: 'list-start' | 'list-end'; list: DirectoryList }
  /** `fatal`: the file is no directory at all (not an object); nothing else is reported. `list`: a list given, but not as an array. */
  | { kind: 'problem'; problem: DirectoryProblem; fatal?: boolean; list?: DirectoryList };

/** A directory file that cannot be read as JSON (a syntax error, a read error). */
export class DirectoryFileUnreadable extends Error {}

const isList = (name: string): name is DirectoryList => (DIRECTORY_LISTS as readonly string[]).includes(name);
const notAnObject = (): DirectoryEntry => ({ kind: 'problem', problem: { path: FILE_PATH, reason: message('directory.fileNotAnObject') }, fatal: true });
const unknownField = (name: string): DirectoryEntry => ({
  kind: 'problem',
  problem: { path: name, reason: message('directory.unknownField', { field: name, allowed: DIRECTORY_LISTS.join(', ') }) },
});
const repeatedField = (name: string): DirectoryEntry => ({
  kind: 'problem',
  problem: { path: name, reason: message('directory.repeatedList', { field: name }) },
});
/** A list field that holds no array: absent (null, a blank string) or a problem. */
const notAList = (name: DirectoryList, value: unknown): DirectoryEntry[] =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
    ? []
    : [{ kind: 'problem', problem: { path: name, reason: message('field.refused', { field: name, reason: message('directory.notAnArray') }) }, list: name }];

/** The entries of a parsed directory file: unknown fields first, then the providers, then the licenses. */
export function* entriesOf(input: unknown): Generator<DirectoryEntry> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    yield notAnObject();
    return;
  }
  for (const name of Object.keys(input)) if (!isList(name)) yield unknownField(name);
  for (const list of DIRECTORY_LISTS) {
    const value = Object.hasOwn(input, list) ? (input as Record<string, unknown>)[list] : undefined;
    if (!Array.isArray(value)) {
      yield* notAList(list, value);
      continue;
    }
    yield { kind: 'list-start', list };
    for (let index = 0; index < value.length; index++) yield { kind: 'record', list, index, value: value[index] };
    yield { kind: 'list-end', list };
  }
}

/** A file's entries as it is read, and, once they are all read, the SHA-256 of its bytes. */
export interface StreamedDirectory {
  entries: AsyncIterable<DirectoryEntry>;
  /** Resolves when the whole file has been read (the import compares its two passes). */
  digest: Promise<string>;
}

type Token = { name: string; value?: unknown };

/**
 * Streams `file`'s entries in file order. A JSON syntax error ends the iteration with
 * DirectoryFileUnreadable (where the parser found it).
 */
export function readDirectoryEntries(file: string): StreamedDirectory {
  const hash = crypto.createHash('sha256');
  let resolveDigest!: (digest: string) => void;
  let rejectDigest!: (error: Error) => void;
  const digest = new Promise<string>((resolve, reject) => ((resolveDigest = resolve), (rejectDigest = reject)));
  digest.catch(() => undefined); // the iteration reports the same error
  const source = fs.createReadStream(file);
  source.on('data', (chunk) => hash.update(chunk as Buffer));
  const tokens = streamJson.parser.asStream({ streamValues: false });
  const shape = new RootReader();
  const entries = new Transform({
    objectMode: true,
    transform(token: Token, _encoding, done) {
      for (const entry of shape.token(token)) this.push(entry);
      done();
    },
  });
  pipeline(source, tokens, entries, (error) => {
    if (error) rejectDigest(error);
    else resolveDigest(hash.digest('hex'));
  });
  return {
    entries: (async function* () {
      try {
        for await (const entry of entries) yield entry as DirectoryEntry;
      } catch (error) {
        throw new DirectoryFileUnreadable(error instanceof Error ? error.message : String(error));
      } finally {
        if (!entries.readableEnded) entries.destroy();
      }
    })(),
    digest,
  };
}

/**
 * The file's top level, token by token: the same entries as entriesOf, in file order. A record is
 * assembled by its own Assembler; a root value that is no list is assembled only to be judged
 * (null and blank mean absent), an unknown field's value is skipped unread.
 */
class RootReader {
  private state: 'start' | 'key' | 'value' | 'list' | 'record' | 'judge' | 'skip' | 'end' | 'ignore' = 'start';
  private field = '';
  private readonly seen = new Set<string>();
  private index = 0;
  private assembler: Assembler | null = null;
  private skipDepth = 0;

  token(token: Token): DirectoryEntry[] {
    switch (this.state) {
      case 'start':
        if (token.name === 'startObject') {
          this.state = 'key';
          return [];
        }
        this.state = 'ignore';
        return [notAnObject()];
      case 'key':
        if (token.name === 'endObject') {
          this.state = 'end';
          return [];
        }
        this.field = token.value as string;
        if (!isList(this.field)) {
          this.state = 'skip';
          this.skipDepth = 0;
          return [unknownField(this.field)];
        }
        this.state = 'value';
        if (this.seen.has(this.field)) return [repeatedField(this.field)];
        this.seen.add(this.field);
        return [];
      case 'value': {
        const list = this.field as DirectoryList;
        if (token.name === 'startArray') {
          this.state = 'list';
          this.index = 0;
          return [{ kind: 'list-start', list }];
        }
        this.state = 'judge';
        this.assembler = new Assembler();
        return this.token(token);
      }
      case 'judge': {
        this.assembler!.consume(token);
        if (!this.assembler!.done) return [];
        this.state = 'key';
        return notAList(this.field as DirectoryList, this.assembler!.current);
      }
      case 'list':
        if (token.name === 'endArray') {
          this.state = 'key';
          return [{ kind: 'list-end', list: this.field as DirectoryList }];
        }
        this.state = 'record';
        this.assembler = new Assembler();
        return this.token(token);
      case 'record': {
        this.assembler!.consume(token);
        if (!this.assembler!.done) return [];
        this.state = 'list';
        const value: unknown = this.assembler!.current;
        this.assembler = null;
        return [{ kind: 'record', list: this.field as DirectoryList, index: this.index++, value }];
      }
      case 'skip':
        if (token.name === 'startObject' || token.name === 'startArray') this.skipDepth++;
        else if (token.name === 'endObject' || token.name === 'endArray') this.skipDepth--;
        if (this.skipDepth === 0) this.state = 'key';
        return [];
      default:
        return [];
    }
  }
}
