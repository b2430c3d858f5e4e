// @ts-check
/**
 * THE settings table: every environment variable of every process, declared once with its parser,
 * default, description and the processes that read it. Plain CommonJS on purpose: `npm run X --
 * --help` and the check of a bad variable run from scripts/launch.js before anything is built (no
 * tsc, about a second), and the compiled code requires this same file (lib/config.ts, lib/settings.ts).
 * The parsed values' types are lib/settings.ts's SettingValues; docs/configuration.md's table is checked
 * against this one (test/repo/configuration.test.ts).
 *
 * A parser gets the raw, non-empty value (and the whole environment, for rules that depend on
 * another variable) and returns the value or throws an Error whose message says what is wrong.
 * Unset and empty values take the default.
 */
const fs = require('node:fs');
const path = require('node:path');
const { isIP } = require('node:net');

/** @typedef {'gateway'|'subgraph'|'database'|'import'|'migration'|'bench'|'stress'|'client'|'start'} Reader */
/** @typedef {(value: string, env: Record<string, string | undefined>) => unknown} Parser */
/** @typedef {{ name: string, description: string, default: string, readBy: Reader[], parse: Parser }} Setting */

// ---- parsers ----------------------------------------------------------------------------------
/** @param {string} message @returns {never} */
const fail = (message) => {
  throw new Error(message);
};
/** @type {Parser} */
const port = (value) => (/^\d+$/.test(value.trim()) && Number(value) <= 65535 ? Number(value) : fail('must be a port number (0-65535)'));
/** @returns {Parser} */
const wholeNumber =
  (min = 0) =>
  (value) =>
    /^\d+$/.test(value.trim()) && Number(value) >= min ? Number(value) : fail(`must be a whole number of ${min} or more`);
/** @type {Parser} */
const onOff = (value) => (['on', 'off'].includes(value.toLowerCase()) ? value.toLowerCase() === 'on' : fail('must be "on" or "off"'));
/** @param {...string} choices @returns {Parser} */
const oneOf =
  (...choices) =>
  (value) =>
    choices.includes(value.toLowerCase()) ? value.toLowerCase() : fail(`must be one of ${choices.join(', ')}`);
/** @param {string[]} protocols @param {string} what @returns {Parser} */
const url =
  (protocols, what, hostRequired = true) =>
  (value) => {
    let parsed;
    try {
      parsed = new URL(value);
    } catch {
      return fail(`must be ${what}; this is not a URL`);
    }
    return protocols.includes(parsed.protocol) && (parsed.host !== '' || !hostRequired) ? value : fail(`must be ${what}`);
  };
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** @type {Parser} */
const host = (value) => (isIP(value) !== 0 || HOST_NAME.test(value) ? value : fail('must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or a host name'));
/** @type {Parser} */
const secret = (value) =>
  Buffer.byteLength(value, 'utf8') >= 32 ? value : fail(`must be at least 32 bytes (e.g. openssl rand -hex 32), got ${Buffer.byteLength(value, 'utf8')}`);
/**
 * SECRETS_KEYS: `id:base64-key,...`, newest first; each key exactly 32 bytes, each id a plain word
 * named once (lib/secret-keys.ts turns the pairs into the key ring).
 * @type {Parser}
 */
const secretsKeys = (value) => {
  const seen = new Set();
  return value.split(',').map((entry) => {
    const match = /^\s*([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)\s*$/.exec(entry);
    if (!match)
      return fail(
        `must be comma-separated id:key pairs (id: letters, digits, - or _; key: base64), e.g. k2:$(openssl rand -base64 32); "${entry.trim().slice(0, 40)}" is not one`,
      );
    const [, id, key] = match;
    if (seen.has(id)) return fail(`names key "${id}" twice`);
    seen.add(id);
    const bytes = Buffer.from(key, key.includes('-') || key.includes('_') ? 'base64url' : 'base64');
    if (bytes.length !== 32) return fail(`key "${id}" must be 32 bytes in base64 (e.g. openssl rand -base64 32), got ${bytes.length} bytes`);
    return [id, bytes.toString('base64')];
  });
};
/** @type {Parser} */
const byteSize = (value) => {
  const match = /^\s*(\d+)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  const n = match ? Number(match[1]) * 1024 ** ['b', 'kb', 'mb', 'gb'].indexOf((match[2] ?? 'b').toLowerCase()) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : fail('must be a size such as 10mb, 512kb or 1048576');
};
/** @type {Parser} */
const text = (value) => value;
/**
 * Comma-separated proxy addresses or CIDR ranges, or proxy-addr's names `loopback`, `linklocal`,
 * `uniquelocal`; checked by proxy-addr itself (the parser the gateway uses, gateway/http/client-address.ts).
 * @type {Parser}
 */
const trustedProxies = (value) => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return fail('must name at least one address or CIDR range');
  for (const entry of entries) {
    try {
      require('proxy-addr').compile(entry);
    } catch {
      fail(`"${entry}" is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or one of loopback, linklocal, uniquelocal`);
    }
  }
  return entries;
};
/** Comma-separated origins (scheme, host, port; no path or trailing slash), or `*`. @type {Parser} */
const origins = (value) =>
  value.split(',').map((entry) => {
    const origin = entry.trim();
    if (origin === '*') return origin;
    let parsed;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    return parsed && ['http:', 'https:'].includes(parsed.protocol) && parsed.origin === origin
      ? origin
      : fail(
          `must be a comma-separated list of origins like https://partner.example or http://127.0.0.1:8080 (no path, no trailing slash), or *; "${origin}" is not one`,
        );
  });
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
/**
 * An OpenID Connect issuer: https, or http on a loopback address (a development identity provider);
 * no query or fragment (OpenID Connect Discovery 1.0, section 2).
 * @type {Parser}
 */
const issuer = (value) => {
  let parsed;
  try {
    parsed = new URL(value);
  } catch {
    return fail('must be the https:// URL of an OpenID Connect issuer; this is not a URL');
  }
  if (parsed.search || parsed.hash) return fail('must be an issuer URL without a query or fragment');
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.includes(parsed.hostname))) return value;
  return fail('must be an https:// URL (http:// only on a loopback address, for a development identity provider)');
};
/** @type {Parser} */
const seconds = (value) => (Number.isFinite(Number(value)) && Number(value) > 0 ? Number(value) : fail('must be a number of seconds above 0'));
/** @type {Parser} */
const identifier = (value) =>
  /^[A-Za-z_][A-Za-z0-9_]{0,53}$/.test(value)
    ? value
    : fail('must be a plain identifier (letters, digits, _; not starting with a digit; at most 54 characters)');
/**
 * Why `dir` cannot hold the SQLite files. Writes nothing: an existing directory must be writable, a
 * missing one must have a writable nearest existing parent (the databases create it later).
 * @type {Parser}
 */
const directory = (value) => {
  const dir = path.resolve(value);
  let probe = dir;
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  if (!fs.statSync(probe).isDirectory()) fail(probe === dir ? `${dir} is not a directory` : `${dir} is not a writable directory (a parent is not a directory)`);
  try {
    fs.accessSync(probe, fs.constants.W_OK);
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    fail(`${dir} is not a writable directory (${code === 'EROFS' ? 'read-only file system' : 'permission denied'})`);
  }
  return dir;
};

const SERVERS = /** @type {Reader[]} */ (['gateway', 'subgraph']);
const SUBGRAPHS = /** @type {const} */ ({ providers: 4001, licenses: 4002, support: 4003 });

/** @type {Setting[]} */
const SETTINGS = [
  // servers
  { name: 'PORT', readBy: ['gateway'], default: '4000', parse: port, description: 'gateway port' },
  ...Object.entries(SUBGRAPHS).map(([name, number]) => ({
    name: `${name.toUpperCase()}_PORT`,
    readBy: SERVERS,
    default: String(number),
    parse: port,
    description: `port of the ${name} subgraph (the gateway's default ${name.toUpperCase()}_URL points there)`,
  })),
  ...Object.keys(SUBGRAPHS).map((name) => ({
    // The licenses subgraph asks the providers subgraph too (references and audit of license changes).
    name: `${name.toUpperCase()}_URL`,
    readBy: /** @type {Reader[]} */ (name === 'providers' ? ['gateway', 'subgraph'] : ['gateway']),
    default: `http://127.0.0.1:<${name.toUpperCase()}_PORT>/graphql`,
    parse: url(['http:', 'https:'], 'an http:// or https:// URL'),
    description:
      name === 'providers'
        ? 'where the gateway (and the licenses subgraph, for license changes) finds the providers subgraph'
        : `where the gateway finds the ${name} subgraph`,
  })),
  {
    name: 'HOST',
    readBy: SERVERS,
    default: '127.0.0.1',
    parse: host,
    description: 'address every server listens on; containers set 0.0.0.0 (the Dockerfile does)',
  },
  {
    name: 'LOG_LEVEL',
    readBy: [...SERVERS, 'import'],
    default: 'info',
    parse: oneOf('debug', 'info', 'warn', 'error'),
    description: 'debug, info, warn or error (JSON lines on stdout)',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    readBy: SERVERS,
    default: 'unset: no tracing',
    parse: url(['http:', 'https:'], 'an http:// or https:// URL'),
    description: 'where traces are sent (OTLP/HTTP)',
  },
  {
    name: 'HTTP_HEADERS_TIMEOUT_MS',
    readBy: SERVERS,
    default: '10000',
    parse: wholeNumber(1),
    description: "HTTP server: longest wait for a request's headers (not above HTTP_REQUEST_TIMEOUT_MS)",
  },
  { name: 'HTTP_REQUEST_TIMEOUT_MS', readBy: SERVERS, default: '30000', parse: wholeNumber(1), description: 'HTTP server: longest wait for a whole request' },
  {
    name: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    readBy: SERVERS,
    default: '5000',
    parse: wholeNumber(1),
    description: 'HTTP server: the idle time a kept-alive connection is promised to clients (Keep-Alive: timeout=N)',
  },
  {
    name: 'HTTP_KEEP_ALIVE_GRACE_MS',
    readBy: SERVERS,
    default: '10000',
    parse: wholeNumber(1),
    description:
      'HTTP server: how much longer than promised an idle connection really stays open, so a client whose idle clock runs late (a loaded machine) is not reset',
  },
  {
    name: 'HTTP_SHUTDOWN_TIMEOUT_MS',
    readBy: SERVERS,
    default: '10000',
    parse: wholeNumber(1),
    description: 'HTTP server: how long a stopping server waits for requests in flight',
  },
  {
    name: 'HTTP_DRAIN_DELAY_MS',
    readBy: SERVERS,
    default: '0',
    parse: wholeNumber(0),
    description:
      "HTTP server: at SIGTERM, how long it keeps serving while GET /ready answers 503, so that a load balancer's health check takes it out of rotation before it stops accepting",
  },
  {
    name: 'SUBGRAPH_SECRET',
    readBy: SERVERS,
    default: 'unset: npm start generates one per process; a service alone believes no identity (production refuses to start)',
    parse: secret,
    description: 'shared secret of the gateway and the subgraphs: a subgraph serves only requests the gateway signed with it',
  },
  {
    name: 'SECRETS_KEYS',
    readBy: ['subgraph'],
    default: 'development: one key derived from SUBGRAPH_SECRET (or a fixed development value); required with NODE_ENV=production',
    parse: secretsKeys,
    description:
      'comma-separated `id:key` (key: 32 random bytes in base64, e.g. openssl rand -base64 32), newest first: what webhook signing secrets and kept Idempotency-Key answers are sealed with at rest (docs/security-data.md "Secrets at rest")',
  },
  {
    name: 'REDIS_URL',
    readBy: [...SERVERS, 'import'],
    default: 'unset: in memory',
    parse: url(['redis:', 'rediss:'], 'a redis:// or rediss:// URL'),
    description: 'Redis shared by the gateway replicas (response cache, rate limit) and directory change notices (the import publishes its change there too)',
  },
  {
    name: 'DIRECTORY_POLL_INTERVAL_MS',
    readBy: SERVERS,
    default: '250',
    parse: wholeNumber(10),
    description: 'how often a process re-reads the directory change marker (the safety net under Redis notices)',
  },
  {
    name: 'NODE_ENV',
    readBy: SERVERS,
    default: 'unset',
    parse: text,
    description: 'production: JWT_SECRET required, GraphiQL off by default, no demo tokens printed',
  },
  // gateway
  {
    name: 'SUPERGRAPH_FILE',
    readBy: ['gateway'],
    default: 'schema/supergraph.graphql',
    parse: text,
    description: 'the supergraph the gateway serves (subgraph URLs from *_URL or *_PORT when set)',
  },
  {
    name: 'JWT_SECRET',
    readBy: ['gateway'],
    default: 'unset: a random one per process (refused with NODE_ENV=production)',
    parse: secret,
    description: "HS256 key of callers' tokens, at least 32 bytes",
  },
  {
    name: 'JWKS_URL',
    readBy: ['gateway'],
    default: 'unset: only HS256 tokens',
    parse: url(['https:', 'http:'], 'an https:// (or http://) URL of a JSON Web Key Set'),
    description: "an identity provider's JSON Web Key Set; its tokens are accepted besides JWT_SECRET's",
  },
  {
    name: 'GRAPHIQL',
    readBy: ['gateway'],
    default: 'on; off when NODE_ENV=production',
    parse: onOff,
    description: 'on/off: GraphiQL for browsers at GET /graphql',
  },
  {
    name: 'RESPONSE_CACHE',
    readBy: ['gateway'],
    default: 'on',
    parse: onOff,
    description: "off turns the gateway's response cache off (benchmarks, debugging)",
  },
  {
    name: 'MCP',
    readBy: ['gateway'],
    default: 'on',
    parse: onOff,
    description: 'off turns the Model Context Protocol endpoint for assistants (POST /mcp, docs/mcp.md) off',
  },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    readBy: ['gateway'],
    default: '600',
    parse: wholeNumber(),
    description: 'requests per caller and minute; 0 turns the limit off',
  },
  { name: 'MAX_DEPTH', readBy: ['gateway'], default: '12', parse: wholeNumber(), description: 'operation limit: deepest selection' },
  { name: 'MAX_ALIASES', readBy: ['gateway'], default: '30', parse: wholeNumber(), description: 'operation limit: aliases per operation' },
  { name: 'MAX_ROOT_FIELDS', readBy: ['gateway'], default: '20', parse: wholeNumber(), description: 'operation limit: root fields per operation' },
  { name: 'MAX_TOKENS', readBy: ['gateway'], default: '1000', parse: wholeNumber(), description: 'operation limit: tokens per document' },
  { name: 'MAX_DIRECTIVES', readBy: ['gateway'], default: '30', parse: wholeNumber(), description: 'operation limit: directives per operation' },
  { name: 'MAX_COST', readBy: ['gateway'], default: '25000', parse: wholeNumber(), description: 'operation limit: estimated cost (list sizes counted)' },
  {
    name: 'SUBGRAPH_TIMEOUT_MS',
    readBy: ['gateway'],
    default: '10000',
    parse: wholeNumber(),
    description: 'longest wait for one subgraph call, answer included',
  },
  { name: 'REQUEST_DEADLINE_MS', readBy: ['gateway'], default: '30000', parse: wholeNumber(), description: 'total budget of one gateway request (0: none)' },
  { name: 'MAX_BODY_BYTES', readBy: ['gateway'], default: '1048576', parse: wholeNumber(), description: 'largest request body the gateway accepts' },
  {
    name: 'MAX_FIELDS',
    readBy: ['gateway'],
    default: '2000',
    parse: wholeNumber(),
    description: 'operation limit: fields an operation expands to with its fragments (each fragment counted once)',
  },
  {
    name: 'INTROSPECTION',
    readBy: ['gateway'],
    default: 'on; signed-in when NODE_ENV=production',
    parse: (value, env) =>
      value.toLowerCase() === 'signed-in'
        ? 'signed-in'
        : ['on', 'off'].includes(value.toLowerCase())
          ? onOff(value, env)
          : fail('must be "on", "off" or "signed-in"'),
    description:
      'on/off/signed-in: the gateway answers __schema and __type itself (off: INTROSPECTION_DISABLED; signed-in: only to callers with a verified token or API key, e.g. codegen, the partner portal and the dashboard)',
  },
  {
    name: 'CORS_ORIGINS',
    readBy: ['gateway'],
    default: 'unset: same origin only',
    parse: origins,
    description: 'comma-separated origins whose pages may call the API from a browser (* for any; never with credentials)',
  },
  {
    name: 'TRUSTED_PROXIES',
    readBy: ['gateway'],
    default: "unset: the socket's address; X-Forwarded-For ignored",
    parse: trustedProxies,
    description:
      'comma-separated addresses or CIDR ranges (loopback, linklocal, uniquelocal allowed) of the proxies in front of the gateway: X-Forwarded-For is believed only from them, and the client is the rightmost address that is not one of them (rate limit, sign-in throttle, access log)',
  },
  {
    name: 'PERSISTED_DOCUMENTS',
    readBy: ['gateway'],
    default: 'allow',
    parse: oneOf('allow', 'only'),
    description: 'allow: any document (and automatic persisted queries); only: the trusted documents of PERSISTED_DOCUMENTS_FILE alone',
  },
  {
    name: 'PERSISTED_DOCUMENTS_FILE',
    readBy: ['gateway'],
    default: 'unset',
    parse: text,
    description: 'JSON map of document id to document (npm run build writes web/dist/persisted-documents.json)',
  },
  {
    name: 'SIGN_IN_TOKEN_MINUTES',
    readBy: ['gateway'],
    default: '240',
    parse: (value, env) => (/** @type {number} */ (wholeNumber(1)(value, env)) <= 1440 ? Number(value) : fail('must be at most 1440 (a day)')),
    description: 'how long the holder token of a signIn is valid, in minutes (at most 1440)',
  },
  {
    name: 'JWT_ISSUER',
    readBy: ['gateway'],
    default: 'OIDC_ISSUER; else unset (required with JWKS_URL)',
    parse: text,
    description: 'the "iss" every JWKS_URL or OIDC_ISSUER token must carry',
  },
  {
    name: 'JWT_AUDIENCE',
    readBy: ['gateway'],
    default: 'unset (required with JWKS_URL and OIDC_ISSUER)',
    parse: text,
    description: 'the "aud" every JWKS_URL or OIDC_ISSUER token must name; /partner and /admin ask for tokens for it (the "resource")',
  },
  {
    name: 'OIDC_ISSUER',
    readBy: ['gateway'],
    default: 'unset: the pages take a pasted token or API key',
    parse: issuer,
    description:
      "the OpenID Connect provider where partners' staff and the manufacturer's admins sign in: /partner and /admin use its Authorization Code flow with PKCE; its tokens are verified with the keys its discovery document names (unless JWKS_URL is set)",
  },
  {
    name: 'OIDC_CLIENT_ID',
    readBy: ['gateway'],
    default: 'unset (required with OIDC_ISSUER)',
    parse: text,
    description: "the public client /partner and /admin are registered as at OIDC_ISSUER (redirect URIs: the pages' own URLs)",
  },
  {
    name: 'OIDC_SCOPE',
    readBy: ['gateway'],
    default: 'unset: openid profile offline_access',
    parse: (value) =>
      /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(value.trim())
        ? value.trim()
        : fail('must be scopes separated by single spaces (RFC 6749 scope tokens)'),
    description: "further scopes /partner and /admin ask for besides openid profile offline_access (Entra ID: the API's scope, api://…/…)",
  },
  {
    name: 'OIDC_AUDIENCE_PARAMETER',
    readBy: ['gateway'],
    default: 'resource',
    parse: oneOf('resource', 'audience', 'none'),
    description:
      'how the pages name JWT_AUDIENCE to the provider: resource (RFC 8707), audience (Auth0), or none (Entra ID v2, which refuses resource: the API is named by OIDC_SCOPE)',
  },
  {
    name: 'OIDC_PASTED_CREDENTIALS',
    readBy: ['gateway'],
    default: 'off',
    parse: onOff,
    description: 'on: with OIDC_ISSUER, /partner and /admin still offer a pasted token or API key besides "Sign in" (development)',
  },
  {
    name: 'DEV_IDENTITY_PROVIDER',
    readBy: ['start'],
    default: 'off',
    parse: onOff,
    description:
      'on: npm start also runs a development OpenID Connect provider on loopback with one user per demo role and sets OIDC_ISSUER to it (refused with NODE_ENV=production)',
  },
  {
    name: 'DEV_IDENTITY_PROVIDER_PORT',
    readBy: ['start'],
    default: '4004',
    parse: port,
    description: "port of npm start's development OpenID Connect provider (DEV_IDENTITY_PROVIDER=on)",
  },
  {
    name: 'JWT_MAX_LIFETIME_SECONDS',
    readBy: ['gateway'],
    default: '86400',
    parse: wholeNumber(1),
    description: 'longest lifetime (exp - iat) of a JWKS_URL token',
  },
  {
    name: 'METRICS_PORT',
    readBy: ['gateway'],
    default: 'unset: /metrics on PORT',
    parse: port,
    description: 'serve /metrics only on this port (on HOST), not on the public one; production should set it',
  },
  {
    name: 'EXPOSE_QUERY_PLANS',
    readBy: ['gateway'],
    default: 'off',
    parse: onOff,
    description: 'on: a request with x-expose-query-plan: true gets its plan in extensions.queryPlan (debugging)',
  },
  // subgraphs
  {
    name: 'SUBGRAPH_BODY_LIMIT',
    readBy: ['subgraph'],
    default: '10mb',
    parse: byteSize,
    description: 'largest request body a subgraph reads (10mb, 512kb, or bytes)',
  },
  {
    name: 'WEBHOOK_POLL_INTERVAL_MS',
    readBy: ['subgraph'],
    default: '1000',
    parse: wholeNumber(10),
    description: 'how often due webhook deliveries (providers) and unrelayed license events (licenses) are looked for',
  },
  {
    name: 'WEBHOOK_TIMEOUT_MS',
    readBy: ['subgraph'],
    default: '10000',
    parse: wholeNumber(100),
    description: 'how long one webhook delivery attempt may take',
  },
  {
    name: 'WEBHOOK_ALLOWED_HOSTS',
    readBy: ['subgraph'],
    default: 'unset: none',
    description: 'comma-separated hosts webhooks may reach at private or loopback addresses (tests, development)',
    parse: (value, env) =>
      env.NODE_ENV === 'production'
        ? fail('must not be set with NODE_ENV=production: in production a webhook never reaches a private or loopback address')
        : value.split(',').map((h) => host(h.trim(), env)),
  },
  // retention (each subgraph cleans up its own tables in the background)
  {
    name: 'RETENTION_WEBHOOK_DAYS',
    readBy: ['subgraph'],
    default: '30',
    parse: wholeNumber(1),
    description: 'days webhook deliveries (the delivery log) and their events are kept (providers)',
  },
  {
    name: 'RETENTION_LICENSE_EVENT_DAYS',
    readBy: ['subgraph'],
    default: '30',
    parse: wholeNumber(1),
    description: 'days a license event is kept in the licenses outbox after it was relayed (never before)',
  },
  {
    name: 'RETENTION_ACCESS_EVENT_DAYS',
    readBy: ['subgraph'],
    default: '90',
    parse: wholeNumber(1),
    description: 'days the access-code log is kept: codes issued, sign-ins and failed sign-ins (licenses)',
  },
  // databases
  {
    name: 'DATABASE_URL',
    readBy: ['database', 'migration'],
    default: 'unset: SQLite files under DATA_DIR',
    parse: url(['postgres:', 'postgresql:'], 'a PostgreSQL URL (postgres:// or postgresql://); other databases are not supported', false),
    description: 'PostgreSQL URL; when set, every subgraph uses PostgreSQL, each in its own schema',
  },
  {
    name: 'DATABASE_SCHEMA_PREFIX',
    readBy: ['database'],
    default: 'empty',
    parse: (value, env) => (env.DATABASE_URL ? identifier(value, env) : value),
    description: 'prefix of the PostgreSQL schema names, so several deployments can share one database',
  },
  {
    name: 'DATA_DIR',
    readBy: ['database'],
    default: './data',
    parse: (value, env) => (env.DATABASE_URL ? path.resolve(value) : directory(value, env)),
    description: 'writable directory of the SQLite files when DATABASE_URL is not set',
  },
  // import
  { name: 'IMPORT_LOCK_TIMEOUT', readBy: ['import'], default: '60', parse: seconds, description: "seconds npm run import waits for another import's lock" },
  // client example
  {
    name: 'GATEWAY_URL',
    readBy: ['client'],
    default: 'http://127.0.0.1:4000/graphql',
    parse: url(['http:', 'https:'], 'an http:// or https:// URL'),
    description: 'the gateway the typed client and npm run mcp ask (its /graphql URL; npm run mcp uses its /mcp beside it)',
  },
  {
    name: 'ONYX_TOKEN',
    readBy: ['client'],
    default: 'unset: anonymous',
    parse: text,
    description: 'the bearer token the typed client and npm run mcp send (one npm start prints)',
  },
  // benchmarks
  { name: 'BENCH_CONNECTIONS', readBy: ['bench'], default: '50', parse: wholeNumber(1), description: 'connections kept busy' },
  { name: 'BENCH_SECONDS', readBy: ['bench'], default: '5', parse: wholeNumber(1), description: 'length of one round in seconds' },
  { name: 'BENCH_ROUNDS', readBy: ['bench'], default: '5', parse: wholeNumber(1), description: 'interleaved rounds per gateway' },
  {
    name: 'BENCH_SAMPLES',
    readBy: ['bench'],
    default: 'BENCH_LICENSES',
    parse: wholeNumber(1),
    description: 'distinct headline requests cycled through (one per generated license)',
  },
  { name: 'BENCH_LICENSES', readBy: ['bench'], default: '1000', parse: wholeNumber(), description: 'generated licenses besides the demo ones' },
  {
    name: 'BENCH_BASELINE',
    readBy: ['bench'],
    default: 'unset',
    parse: text,
    description: 'other built checkouts (comma-separated), measured beside ours in both parts',
  },
  {
    name: 'BENCH_GATEWAYS',
    readBy: ['bench'],
    default: 'all',
    parse: text,
    description: 'comma-separated: which of ours-cached, hive, apollo, grafbase, grafbase-cached run besides ours',
  },
  { name: 'BENCH_END_TO_END', readBy: ['bench'], default: 'on', parse: onOff, description: 'off: only the gateway-alone part' },
  {
    name: 'BENCH_KEEP_LOGS',
    readBy: ['bench'],
    default: 'unset',
    parse: text,
    description: 'a directory: the access logs of our gateways under test are copied there',
  },
  {
    name: 'BENCH_GATEWAY_CPU',
    readBy: ['bench'],
    default: 'the last core',
    parse: text,
    description: 'the core the gateways under test are pinned to (taskset; the load generator runs on the others); off: none',
  },
  { name: 'BENCH_CPU_PROF', readBy: ['bench'], default: 'unset', parse: text, description: 'a directory: a V8 CPU profile of each gateway is written there' },
  {
    name: 'BENCH_NODE_FLAGS',
    readBy: ['bench'],
    default: 'unset',
    parse: text,
    description: 'Node or V8 flags for every gateway under test, space-separated (e.g. --trace-gc; its lines go to the BENCH_KEEP_LOGS logs)',
  },
  {
    name: 'BENCH_REPEAT',
    readBy: ['bench'],
    default: '5',
    parse: wholeNumber(1),
    description: 'npm run bench:analytics: timed runs of each query, the median is printed',
  },
  { name: 'STRESS_REQUESTS', readBy: ['stress'], default: '10000', parse: wholeNumber(1), description: 'requests per pass' },
  { name: 'STRESS_PASSES', readBy: ['stress'], default: '2', parse: wholeNumber(1), description: 'equal passes of bad requests' },
];

/** Rules between variables, checked after each is valid alone. @type {{ readBy: Reader[], check: (values: Record<string, any>, env: Record<string, string | undefined>) => string | undefined }[]} */
const CROSS_CHECKS = [
  {
    readBy: SERVERS,
    check: (values) =>
      (values.HTTP_HEADERS_TIMEOUT_MS ?? 10000) > (values.HTTP_REQUEST_TIMEOUT_MS ?? 30000)
        ? 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS (Node refuses a headers timeout longer than the request timeout)'
        : undefined,
  },
  {
    readBy: /** @type {Reader[]} */ (['gateway']),
    // Without both, any application's token from the same identity provider would be accepted.
    check: (_values, env) =>
      env.JWKS_URL && !(env.JWT_ISSUER?.trim() && env.JWT_AUDIENCE?.trim()) ? 'JWT_ISSUER and JWT_AUDIENCE must be set with JWKS_URL' : undefined,
  },
  {
    readBy: /** @type {Reader[]} */ (['gateway']),
    // The pages need a client to sign in as, and the tokens they get an audience the gateway checks.
    check: (_values, env) =>
      env.OIDC_ISSUER && !(env.OIDC_CLIENT_ID?.trim() && env.JWT_AUDIENCE?.trim()) ? 'OIDC_CLIENT_ID and JWT_AUDIENCE must be set with OIDC_ISSUER' : undefined,
  },
  {
    readBy: /** @type {Reader[]} */ (['start']),
    check: (_values, env) =>
      env.NODE_ENV === 'production' && env.DEV_IDENTITY_PROVIDER?.toLowerCase() === 'on'
        ? 'DEV_IDENTITY_PROVIDER=on is refused with NODE_ENV=production: its users and passwords are for trying the product'
        : undefined,
  },
  {
    readBy: /** @type {Reader[]} */ (['gateway']),
    check: (_values, env) =>
      env.PERSISTED_DOCUMENTS?.toLowerCase() === 'only' && !env.PERSISTED_DOCUMENTS_FILE
        ? 'PERSISTED_DOCUMENTS=only needs PERSISTED_DOCUMENTS_FILE'
        : undefined,
  },
  {
    readBy: /** @type {Reader[]} */ (['gateway']),
    check: (_values, env) =>
      env.NODE_ENV === 'production' && !env.JWT_SECRET ? 'JWT_SECRET must be set in production (at least 32 bytes, e.g. openssl rand -hex 32)' : undefined,
  },
];

/**
 * The variables `readers` read, parsed: `values` holds those that are set and valid, `problems`
 * one line per bad value (`NAME="value": what is wrong`) and per broken rule between values.
 * @param {readonly Reader[]} readers
 * @param {Record<string, string | undefined>} env
 */
function readSettings(readers, env) {
  /** @type {Record<string, unknown>} */
  const values = {};
  /** @type {string[]} */
  const problems = [];
  /** @param {Reader[]} readBy */
  const applies = (readBy) => readBy.some((reader) => readers.includes(reader));
  for (const setting of SETTINGS.filter((s) => applies(s.readBy))) {
    const raw = env[setting.name];
    if (raw === undefined || raw === '') continue;
    try {
      values[setting.name] = setting.parse(raw, env);
    } catch (error) {
      problems.push(`${setting.name}=${JSON.stringify(raw)}: ${error instanceof Error ? error.message : error}`);
    }
  }
  if (problems.length === 0) {
    for (const rule of CROSS_CHECKS.filter((r) => applies(r.readBy))) {
      const problem = rule.check(values, env);
      if (problem) problems.push(problem);
    }
  }
  return { values, problems };
}

/**
 * The rows of `readers`' variables, for --help and the docs: [name, description (default …)].
 * @param {readonly Reader[]} readers
 * @returns {[string, string][]}
 */
function settingRows(readers) {
  return SETTINGS.filter((s) => s.readBy.some((reader) => readers.includes(reader))).map(
    (s) => /** @type {[string, string]} */ ([s.name, `${s.description} (default ${s.default})`]),
  );
}

module.exports = { SETTINGS, readSettings, settingRows };
