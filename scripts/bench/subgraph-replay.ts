/**
 * Benchmark helper process: stands in for the three subgraphs so that only a gateway is measured.
 * It first records (forwards each request to the real subgraph and keeps the answer by request
 * body), then, after a `replay` message from the parent, answers every request from memory and
 * never touches a real subgraph again. A request it never recorded is a 500 (counted as an error).
 *
 * Parent → child messages: { upstream: Record<name, url> } to start; 'replay' to switch.
 * Child → parent: { ready: Record<name, url> }, { replaying: number } (answers kept).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSubgraphRequest } from '../../lib/subgraph-signature';

/** The secret the parent gave the real subgraphs: they believe only identities signed with it. */
const SECRET = process.env.SUBGRAPH_SECRET!;

type Upstreams = Record<string, string>;
const answers = new Map<string, { status: number; contentType: string; body: Buffer }>();
let replaying = false;

function serve(name: string, upstream: string): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const key = `${name}\n${req.method}\n${req.url}\n${body.toString('utf8')}`;
      const known = answers.get(key);
      // Anything but a GraphQL POST (the gateway's poll of /directory-version, a provider's standing)
      // is rare and asks for the moment: it is always forwarded, never kept.
      const live = req.method !== 'POST';
      if (!live && (replaying || known)) {
        if (!known) return res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"not recorded"}]}');
        return res.writeHead(known.status, { 'content-type': known.contentType, 'content-length': known.body.length }).end(known.body);
      }
      // As an admin, whichever gateway asks (the stock ones forward no identity), signed as our gateway signs.
      const target = new URL(req.url ?? '/', upstream);
      const signature = signSubgraphRequest({
        method: req.method ?? 'POST',
        path: target.pathname + target.search,
        body,
        identity: { sub: 'bench', role: 'admin' },
        secret: SECRET,
      });
      const headers = { 'content-type': req.headers['content-type'] ?? 'application/json', ...signature };
      const response = await fetch(target, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
      const answer = {
        status: response.status,
        contentType: response.headers.get('content-type') ?? 'application/json',
        body: Buffer.from(await response.arrayBuffer()),
      };
      if (!live) answers.set(key, answer);
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length }).end(answer.body);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`)));
}

process.on('message', async (message: { upstream?: Upstreams } | 'replay') => {
  if (message === 'replay') {
    replaying = true;
    process.send!({ replaying: answers.size });
    return;
  }
  if (message.upstream) {
    const ready: Upstreams = {};
    for (const [name, url] of Object.entries(message.upstream)) ready[name] = await serve(name, url);
    process.send!({ ready });
  }
});
process.on('disconnect', () => process.exit(0));
