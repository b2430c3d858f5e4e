/**
 * People sign in to /partner and /admin at their organization's identity provider (docs/portal.md
 * "Signing in"), in Chromium, against a real OpenID provider started here: the development identity
 * provider of `npm start` (app/dev-identity-provider.ts, the certified oidc-provider package), and
 * the real gateway with OIDC_ISSUER, OIDC_CLIENT_ID and JWT_AUDIENCE set as docs/portal.md says.
 * Each step is checked against the API's own answer; every request the browser makes is recorded,
 * and none may leave the gateway and the identity provider.
 * Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the tests skip, except under REQUIRE_BROWSER=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openDevIdentityProvider, type DevPerson, type OpenDevIdentityProvider } from '../../app/dev-identity-provider';
import { ROOT } from '../support/build';
import { injectAxe, watchPolicyViolations } from '../support/page-policy';
import { gatewayBeside, startTestStack, type TestStack } from '../support/stack';
import { buildWebPage } from '../support/web-build';
import type { RunningServer } from '../../lib/http';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasBrowser = fs.existsSync(executablePath);
const PARTNER = 'nordkiefer-demo';
const PARTNER_NAME = 'Nordkiefer Demo Dentalsoftware GmbH';
const AUDIENCE = 'https://directory.test/graphql';
const CLIENT_ID = 'onyx-pages-test';
/** Short enough that every test sees its tokens renewed at least once. */
const ACCESS_TOKEN_SECONDS = 20;

const ADMIN: DevPerson = { label: 'admin', username: 'ada', password: 'ada-password-1', claims: { sub: 'person-ada', name: 'Ada Admin', role: 'admin' } };
const STAFF: DevPerson = {
  label: 'staff',
  username: 'dana',
  password: 'dana-password-1',
  claims: { sub: 'person-dana', name: 'Dana Distributor', role: 'provider', provider: PARTNER },
};

if (!hasBrowser && process.env.REQUIRE_BROWSER === '1') {
  test('Chromium is installed (REQUIRE_BROWSER=1)', () => {
    throw new Error(`REQUIRE_BROWSER=1 but there is no browser at ${executablePath}`);
  });
}

(hasBrowser ? describe : describe.skip)('signing in at an identity provider, in Chromium', () => {
  let identityProvider: OpenDevIdentityProvider;
  let stack: TestStack;
  let web: Awaited<ReturnType<typeof buildWebPage>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const requested: string[] = [];
  // What the pages' Content-Security-Policy refused: the identity provider's origin must be allowed to be called.
  const policyViolations: string[] = [];

  beforeAll(async () => {
    web = await buildWebPage();
    // The issuer first (the gateway is told it), then the gateway, then the pages' URLs to the provider.
    identityProvider = await openDevIdentityProvider({ port: 0 });
    const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed', 'demo-directory.json'), 'utf8'));
    stack = await startTestStack({
      directory: demo,
      gateway: { webDir: web.dir, oidc: { issuer: identityProvider.issuer, clientId: CLIENT_ID }, jwtIssuer: identityProvider.issuer, jwtAudience: AUDIENCE },
    });
    await identityProvider.serve({
      clientId: CLIENT_ID,
      pageUrls: [`${origin()}/partner`, `${origin()}/admin`],
      audience: AUDIENCE,
      people: [ADMIN, STAFF],
      accessTokenSeconds: ACCESS_TOKEN_SECONDS,
    });
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await identityProvider?.close();
    web?.remove();
  });

  const origin = () => new URL(stack.url).origin;

  /** A browser of its own (cookies, tabs), every request recorded. */
  async function freshBrowser(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (request) => requested.push(request.url()));
    watchPolicyViolations(context, policyViolations);
    contexts.push(context);
    return context;
  }

  /** At the provider's login form: the person's username and password. */
  async function logIn(page: Page, person: DevPerson) {
    await page.waitForURL((url) => url.origin === identityProvider.issuer);
    await page.fill('#username', person.username);
    await page.fill('#password', person.password);
    await page.click('button[type="submit"]');
  }

  async function signedInPage(context: BrowserContext, pagePath: string, person: DevPerson): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${origin()}${pagePath}`);
    await page.click('#oidc-sign-in');
    await logIn(page, person);
    await page.waitForURL(`${origin()}${pagePath}`);
    return page;
  }

  const tokensOf = async (page: Page, storageKey: string) =>
    JSON.parse((await page.evaluate((key) => sessionStorage.getItem(key), `${storageKey}.oidc.tokens`)) ?? 'null') as {
      accessToken: string;
      refreshToken?: string;
    } | null;

  const asBearer = async (url: string, token: string, query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  test('the pages say how to sign in: at the provider, no pasted key or token', async () => {
    const response = await fetch(`${origin()}/sign-in-settings.json`);
    expect(await response.json()).toEqual({
      oidc: { issuer: identityProvider.issuer, clientId: CLIENT_ID, resource: AUDIENCE, scope: 'openid profile offline_access', audienceParameter: 'resource' },
      pastedCredentials: false,
    });
    const page = await (await freshBrowser()).newPage();
    await page.goto(`${origin()}/partner`);
    await page.locator('#oidc-sign-in').waitFor();
    expect(await page.locator('#oidc-sign-in').innerText()).toBe('Sign in');
    expect(await page.locator('#sign-in').isHidden()).toBe(true);
    // axe-core (from node_modules): no serious or critical violation on the sign-in.
    await injectAxe(page);
    const results = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
    expect((results.violations as { id: string; impact: string }[]).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.close();
  });

  test("a partner's staff member signs in at the provider, stays signed in across a reload, and changes a price under their own name", async () => {
    const context = await freshBrowser();
    const page = await signedInPage(context, '/partner', STAFF);
    await page.locator('#portal').waitFor();
    expect(await page.locator('#who').innerText()).toContain(PARTNER_NAME);
    expect(await page.locator('#who').innerText()).toContain('Dana Distributor');
    expect(await page.locator('#sign-in-card').isHidden()).toBe(true);
    // The code left the address bar; the tokens are the tab's, for the API's audience.
    expect(page.url()).toBe(`${origin()}/partner`);
    const tokens = await tokensOf(page, 'onyx.partner');
    expect(tokens?.refreshToken).toBeTruthy();
    const viewer = await asBearer(stack.url, tokens!.accessToken, '{ viewer { id } }');
    expect(viewer.body.data.viewer.id).toBe(PARTNER);

    // A reload: still signed in, without going to the provider again.
    const toProvider = requested.length;
    await page.reload();
    await page.locator('#portal').waitFor();
    expect(await page.locator('#who').innerText()).toContain(PARTNER_NAME);
    expect(requested.slice(toProvider).filter((url) => url.startsWith(`${identityProvider.issuer}/auth`))).toEqual([]);

    // A change: the audit trail names the person, for the partner and for the admins.
    await page.locator('#offer-table').waitFor();
    const offerId = 'nordkiefer-user-support-hour';
    await page.click(`button[data-edit="${offerId}"]`);
    await page.fill('#offer-amount', '81.00');
    await page.click('#offer-save');
    await page.locator('#offers-status.ok').waitFor();
    await page.locator('#audit-table').getByText('Dana Distributor').first().waitFor();
    const trail = await stack.graphql(
      `{ auditTrail(first: 1, providerId: "${PARTNER}") { edges { node { action subjectId actorRole actorSub actorName actorKeyId } } } }`,
    );
    expect(trail.body.data.auditTrail.edges[0].node).toEqual({
      action: 'saveOffer',
      subjectId: offerId,
      actorRole: 'provider',
      actorSub: STAFF.claims.sub,
      actorName: 'Dana Distributor',
      actorKeyId: null,
    });
    await page.close();
  });

  test('the access token is renewed before it expires, and the renewed one works', async () => {
    const context = await freshBrowser();
    const page = await signedInPage(context, '/partner', STAFF);
    await page.locator('#portal').waitFor();
    const first = await tokensOf(page, 'onyx.partner');
    await page.waitForFunction(
      (before) => JSON.parse(sessionStorage.getItem('onyx.partner.oidc.tokens') ?? 'null')?.accessToken !== before,
      first!.accessToken,
      { timeout: ACCESS_TOKEN_SECONDS * 2000 },
    );
    const renewed = await tokensOf(page, 'onyx.partner');
    expect((await asBearer(stack.url, renewed!.accessToken, '{ viewer { id } }')).body.data.viewer.id).toBe(PARTNER);
    // The page uses the renewed token: its next question is answered.
    await page.click('#found-load');
    await page.locator('table[data-country="DE"]').waitFor();
    // When the provider refuses the renewal (here: a refresh token it never issued), the page says so and offers "Sign in".
    await page.evaluate(() => {
      const tokens = JSON.parse(sessionStorage.getItem('onyx.partner.oidc.tokens')!);
      sessionStorage.setItem('onyx.partner.oidc.tokens', JSON.stringify({ ...tokens, refreshToken: 'not-issued-by-the-provider' }));
    });
    await page.locator('#sign-in-status.error').waitFor({ timeout: ACCESS_TOKEN_SECONDS * 2000 });
    expect(await page.locator('#sign-in-status').innerText()).toBe('Your session has ended. Sign in again.');
    expect(await page.locator('#portal').isHidden()).toBe(true);
    expect(await page.locator('#oidc-sign-in').isVisible()).toBe(true);
    expect(await tokensOf(page, 'onyx.partner')).toBeNull();
    await page.close();
  });

  test("an admin signs in at /admin; the change they make is theirs in the trail, and the partner sees an admin's change by role only", async () => {
    const context = await freshBrowser();
    const page = await signedInPage(context, '/admin', ADMIN);
    await page.locator('#dashboard').waitFor();
    expect(await page.locator('#who').innerText()).toContain('Ada Admin');
    await page.locator('#key-table').waitFor();
    await page.selectOption('#key-provider', PARTNER);
    await page.fill('#key-label', 'issued by a person');
    await page.click('#key-form button[type="submit"]');
    await page.locator('#new-key').waitFor();
    const asAdmin = await stack.graphql(`{ auditTrail(first: 1, providerId: "${PARTNER}") { edges { node { action actorRole actorSub actorName } } } }`);
    expect(asAdmin.body.data.auditTrail.edges[0].node).toEqual({
      action: 'issueApiKey',
      actorRole: 'admin',
      actorSub: ADMIN.claims.sub,
      actorName: 'Ada Admin',
    });
    const asPartner = await stack.graphql(
      `{ auditTrail(first: 1) { edges { node { action actorRole actorSub actorName } } } }`,
      {},
      { sub: 'other-staff', role: 'provider', provider: PARTNER },
    );
    expect(asPartner.body.data.auditTrail.edges[0].node).toEqual({ action: 'issueApiKey', actorRole: 'admin', actorSub: null, actorName: null });
    await page.close();
  });

  test("a partner's staff member cannot open the dashboard's figures", async () => {
    const context = await freshBrowser();
    const page = await signedInPage(context, '/admin', STAFF);
    await page.locator('#sign-in-status.error').waitFor();
    expect(await page.locator('#sign-in-status').innerText()).toContain("for the manufacturer's admins only");
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    // The page forgot the tokens; signing in again asks the provider for a login, not its session's person again.
    expect(await tokensOf(page, 'onyx.admin')).toBeNull();
    await page.click('#oidc-sign-in');
    await page.waitForURL((url) => url.origin === identityProvider.issuer && url.pathname.startsWith('/interaction/'));
    await page.locator('#username').waitFor();
    // The admins-only questions are the API's to refuse, and it does.
    const partnerPage = await signedInPage(await freshBrowser(), '/partner', STAFF);
    await partnerPage.locator('#portal').waitFor();
    const token = (await tokensOf(partnerPage, 'onyx.partner'))!.accessToken;
    const refused = await asBearer(stack.url, token, `{ apiKeys(providerId: "${PARTNER}") { id } }`);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    await page.close();
    await partnerPage.close();
  });

  test("sign-out forgets the tokens and ends the provider's session", async () => {
    const context = await freshBrowser();
    const page = await signedInPage(context, '/partner', STAFF);
    await page.locator('#portal').waitFor();
    await page.click('#sign-out');
    // The provider asks to confirm (oidc-provider's end_session_endpoint), then sends the person back.
    await page.waitForURL((url) => url.origin === identityProvider.issuer);
    await page.click('button[name="logout"]');
    await page.waitForURL(`${origin()}/partner`);
    await page.locator('#oidc-sign-in').waitFor();
    expect(await page.locator('#portal').isHidden()).toBe(true);
    expect(await tokensOf(page, 'onyx.partner')).toBeNull();
    // The provider's session ended too: signing in asks for the login again.
    await page.click('#oidc-sign-in');
    await page.waitForURL((url) => url.origin === identityProvider.issuer);
    await page.locator('#username').waitFor();
    await page.close();
  });

  test('the gateway refuses a token of the same provider for another audience', async () => {
    const context = await freshBrowser();
    const page = await signedInPage(context, '/partner', STAFF);
    await page.locator('#portal').waitFor();
    const token = (await tokensOf(page, 'onyx.partner'))!.accessToken;
    // Another API of the organization, with its own audience, trusting the same provider.
    let other: RunningServer | undefined;
    try {
      other = await gatewayBeside(stack, {
        oidc: { issuer: identityProvider.issuer, clientId: CLIENT_ID },
        jwtIssuer: identityProvider.issuer,
        jwtAudience: 'https://another-api.test',
      });
      const refused = await asBearer(other.url, token, '{ viewer { id } }');
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(refused.body.errors[0].message).toMatch(/aud/);
      // The same token where it belongs.
      expect((await asBearer(stack.url, token, '{ viewer { id } }')).body.data.viewer.id).toBe(PARTNER);
    } finally {
      await other?.close();
    }
    await page.close();
  });

  test('nothing was loaded from anywhere but the gateway and the identity provider', async () => {
    for (const context of contexts) await context.close();
    expect(requested.length).toBeGreaterThan(10);
    const outside = requested.filter((url) => !url.startsWith(`${origin()}/`) && !url.startsWith(`${identityProvider.issuer}/`) && !url.startsWith('data:'));
    expect(outside).toEqual([]);
    expect(policyViolations).toEqual([]);
  });
});
