/**
 * A request sent on a kept-alive connection is answered, not reset, when it comes at the moment the
 * server would close that connection as idle (lib/http.ts closeIdleConnectionsLate; docs/operations.md
 * "Connection resets under load"). The client here is a plain socket that writes its second request
 * without reading whether the server has closed, as a client does whose idle clock runs late (undici
 * counts timer ticks, which a busy event loop stretches) or whose process was stalled.
 *
 * The moments are forced, not left to load:
 * - late client: the second request comes after Node's own deadline (the advertised idle time plus
 *   1 s), within the grace the server adds;
 * - stalled server: the request is written before the server's deadline and the server's event loop
 *   (this process) is then blocked until past it, so that its idle timer is due before it has read
 *   the request that came in time (timers run before sockets are read).
 * The gateway's server and a subgraph's.
 */
import net from 'node:net';
import { DEFAULT_HTTP_SETTINGS, type HttpServerSettings } from '../../lib/http';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

const HEADLINE = JSON.stringify({
  query: '{ supportContact(licenseKey: "L-VENDOR", topic: "server-installation") { contacts { id } billedBy { id } explanation } }',
});

/** One keep-alive connection on which requests are written whatever the server did meanwhile. */
class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private ended: string | undefined;
  private wake: (() => void) | undefined;
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake?.();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.ended = error.code ?? error.message;
      this.wake?.();
    });
    socket.on('close', () => {
      this.ended ??= 'closed by the server';
      this.wake?.();
    });
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes the request at once, without waiting for anything. */
  write(request: string): void {
    if (!this.socket.destroyed) this.socket.write(request);
  }

  /** The next answer's status line and body, or what happened instead (a reset, a close). */
  async answer(): Promise<{ status: number; body: string } | { failed: string }> {
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (this.ended) return { failed: this.ended };
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): { status: number; body: string } | undefined {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let body: Buffer;
    let rest: Buffer;
    if (length) {
      if (this.buffered.length < end + 4 + Number(length[1])) return undefined;
      body = this.buffered.subarray(end + 4, end + 4 + Number(length[1]));
      rest = this.buffered.subarray(end + 4 + Number(length[1]));
    } else {
      // Chunked: complete once the last chunk has come.
      const last = this.buffered.indexOf('\r\n0\r\n\r\n', end);
      if (last < 0) return undefined;
      const chunks: Buffer[] = [];
      let at = end + 4;
      while (at < last + 2) {
        const lineEnd = this.buffered.indexOf('\r\n', at);
        const size = parseInt(this.buffered.subarray(at, lineEnd).toString('latin1'), 16);
        chunks.push(this.buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(chunks);
      rest = this.buffered.subarray(last + 7);
    }
    this.buffered = rest;
    return { status, body: body.toString('utf8') };
  }
}

const post = (url: string, authorization: string, body: string) => {
  const { host, pathname } = new URL(url);
  return (
    `POST ${pathname} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n` +
    `Authorization: ${authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
};
const get = (url: string) => `GET ${new URL(url).pathname} HTTP/1.1\r\nHost: ${new URL(url).host}\r\nConnection: keep-alive\r\n\r\n`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Writes the request, then blocks this process's event loop (the server's) for `ms`, as a loaded
 * server's is: no timer runs, no socket is read. From a setImmediate callback, so that the next turn
 * of the loop starts with the timers (a timer callback would leave Node's clock stale for the rest
 * of its turn, and the socket would be read first anyway).
 */
const writeThenStall = (connection: RawConnection, request: string, ms: number) =>
  new Promise<void>((resolve) =>
    setImmediate(() => {
      connection.write(request);
      const end = Date.now() + ms;
      while (Date.now() < end);
      resolve();
    }),
  );

/**
 * A short advertised idle time and grace, so that a case takes seconds: the server closes an idle
 * connection 3 s after its answer; Node alone closed it after 2 s (the advertised time + 1 s).
 */
const KEEP_ALIVE_MS = 1_000;
const GRACE_MS = 2_000;
const SHORT: HttpServerSettings = { ...DEFAULT_HTTP_SETTINGS, keepAliveTimeoutMs: KEEP_ALIVE_MS, keepAliveGraceMs: GRACE_MS };
/** When the client writes its second request: after Node's old deadline, before the server's. */
const REUSE_AFTER_MS = KEEP_ALIVE_MS + 1_500;
/** How long the server is then stalled: until past its deadline. */
const STALL_MS = 1_500;

describe('the gateway: a request on a kept-alive connection when the server would close it idle is answered', () => {
  let stack: TestStack;
  let authorization: string;
  let expected: string;
  beforeAll(async () => {
    stack = await startTestStack({ directory: networkDirectory(), gateway: { http: SHORT } });
    authorization = `Bearer ${await tokenFor({ sub: 'holder', role: 'holder', licenses: ['L-VENDOR'] })}`;
    expected = JSON.stringify((await stack.graphql(JSON.parse(HEADLINE).query)).body);
  });
  afterAll(() => stack?.close());

  test('a client whose idle clock runs late: its request after the advertised time + 1 s is answered', async () => {
    const connection = await RawConnection.open(stack.url);
    try {
      connection.write(post(stack.url, authorization, HEADLINE));
      expect(await connection.answer()).toEqual({ status: 200, body: expected });
      await sleep(REUSE_AFTER_MS);
      connection.write(post(stack.url, authorization, HEADLINE));
      expect(await connection.answer()).toEqual({ status: 200, body: expected });
    } finally {
      connection.close();
    }
  });

  test('a stalled server: a request that came before the deadline is read and answered, not cut unread', async () => {
    const connection = await RawConnection.open(stack.url);
    try {
      connection.write(post(stack.url, authorization, HEADLINE));
      expect(await connection.answer()).toEqual({ status: 200, body: expected });
      await sleep(REUSE_AFTER_MS);
      await writeThenStall(connection, post(stack.url, authorization, HEADLINE), STALL_MS);
      expect(await connection.answer()).toEqual({ status: 200, body: expected });
    } finally {
      connection.close();
    }
  });
});

describe("a subgraph's server: the same", () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph('providers', { http: SHORT });
  });
  afterAll(() => subgraph?.close());

  test('a stalled server: a request that came before the deadline is read and answered, not cut unread', async () => {
    const health = `${subgraph.base}/health`;
    const ok = { status: 200, body: JSON.stringify({ status: 'ok', service: 'providers' }) };
    const connection = await RawConnection.open(health);
    try {
      connection.write(get(health));
      expect(await connection.answer()).toEqual(ok);
      await sleep(REUSE_AFTER_MS);
      await writeThenStall(connection, get(health), STALL_MS);
      expect(await connection.answer()).toEqual(ok);
    } finally {
      connection.close();
    }
  });
});
