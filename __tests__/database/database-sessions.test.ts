import { decodeJwt } from 'jose';
import { useHostApp, type HostApp } from '../logto-kit/helpers/host-app';
import { join } from 'node:path';
import { createBrowser, type Browser } from '../logto-kit/helpers/browser';
import { startApiRouteServer, type ApiModule } from '../logto-kit/helpers/api-route-server';
import { csrfTokenOf, readSession, signIn } from '../logto-kit/helpers/sign-in-flow';
import { useSqliteDatabase } from './helpers/sqlite-database';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';
import { pageContext } from '../helpers/page-context';
import { createLogtoKit, getLogtoSession, readLogtoEnv, type LogtoKit } from '@/lib/logto';
import { logtoProvider } from '@/pages/api/auth/[...nextauth]';

const ROUTE = '__tests__/fixtures/database-host-route.ts';
const COOKIE = 'next-auth.session-token';

interface AccountRow {
  userId: string;
  providerAccountId: string;
  access_token: string | null;
  refresh_token: string | null;
  expires_at: number | null;
  id_token: string | null;
}

/** The session token this browser holds (the Session row's key). */
function sessionTokenOf(browser: Browser): string {
  const token = browser.cookies.get(COOKIE);
  if (!token) throw new Error('the browser holds no session cookie');
  return token;
}

/** The route loaded afresh (its own kit: discovery cache, single flight) behind a server of its own: a second instance. */
async function startSecondInstance() {
  let route: ApiModule | undefined;
  await jest.isolateModulesAsync(async () => {
    route = (await import(join(process.cwd(), ROUTE))) as ApiModule;
  });
  return startApiRouteServer((pathname) =>
    pathname.startsWith('/api/auth/') ? { module: route!, query: { nextauth: pathname.slice('/api/auth/'.length).split('/') } } : undefined,
  );
}

/** `POST /api/auth/signout` as next-auth/react's `signOut()` sends it. */
async function signOut(host: HostApp, browser: Browser) {
  const csrfToken = await csrfTokenOf(browser);
  return browser.post('/api/auth/signout').type('form').send({ csrfToken, json: 'true', callbackUrl: host.url });
}

// A host on next-auth's database sessions (Prisma's adapter, next-auth's schema plus the kit's two models) on a
// real SQLite file: every assertion on state reads the rows.
describe('database sessions (Prisma adapter, SQLite)', () => {
  const database = useSqliteDatabase();
  const host = useHostApp({ route: ROUTE, env: { DATABASE_URL: database.url } });
  const account = () => database.rows<AccountRow>('SELECT * FROM "Account" WHERE provider = ?', 'logto')[0];
  const sessions = () => database.rows<{ sessionToken: string; userId: string }>('SELECT * FROM "Session"');

  beforeEach(() => {
    host().issuer.accessTokenTtl = 3600;
    host().issuer.rotateRefreshTokens = true;
    database.run('DELETE FROM "User"');
    database.run('DELETE FROM "LogtoSessionLink"');
  });

  it('signs in with User, Account (Logto’s tokens) and Session rows, and links the session to its sid', async () => {
    const browser = host().browser();
    const { callbackResponse } = await signIn(browser, host().issuer);

    expect(callbackResponse.status).toBe(302);
    const row = account();
    expect(row).toMatchObject({ providerAccountId: 'user-1', refresh_token: expect.any(String), access_token: expect.any(String) });
    expect(row.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(decodeJwt(row.id_token!).sub).toBe('user-1');
    expect(sessions()).toEqual([expect.objectContaining({ sessionToken: sessionTokenOf(browser), userId: row.userId })]);
    expect(database.rows('SELECT sessionToken, sid, providerAccountId FROM "LogtoSessionLink"')).toEqual([
      { sessionToken: sessionTokenOf(browser), sid: host().issuer.lastSid, providerAccountId: 'user-1' },
    ]);
  });

  it('shows the user’s id, roles and organizations from the id_token in the Account row', async () => {
    const { issuer } = host();
    issuer.tenant.userRoles['user-1'] = ['admin'];
    issuer.tenant.memberships['user-1'] = { 'org-acme': ['member'] };
    const browser = host().browser();
    await signIn(browser, issuer, { params: { scope: 'openid offline_access profile email roles urn:logto:scope:organizations urn:logto:scope:organization_roles' } });

    const session = await readSession(browser);

    expect(session?.user).toEqual({
      id: account().userId,
      name: 'Alice Example',
      email: 'alice@example.com',
      image: null,
      roles: ['admin'],
      organizations: [{ id: 'org-acme', roles: ['member'] }],
    });
    expect(session?.accessTokenExpiresAt).toBe(account().expires_at);
    expect(session?.error).toBeUndefined();
    issuer.tenant.userRoles = {};
    issuer.tenant.memberships = {};
  });

  it('refreshes an expired access token once for 20 concurrent reads, and writes the new tokens into the Account row', async () => {
    const { issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    const before = account();
    database.run('UPDATE "Account" SET expires_at = ? WHERE provider = ?', Math.floor(Date.now() / 1000) - 60, 'logto');
    issuer.resetRequests();

    const reads = await Promise.all(Array.from({ length: 20 }, () => readSession(browser)));

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(issuer.revokedGrants()).toBe(0);
    for (const session of reads) expect(session).toMatchObject({ user: { id: before.userId } });
    for (const session of reads) expect(session?.error).toBeUndefined();
    const after = account();
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(decodeJwt(after.id_token!).sub).toBe('user-1');
  });

  it('makes one grant for 20 concurrent reads spread across two instances of the route on the same database', async () => {
    const { issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    const second = await startSecondInstance();
    const other = createBrowser(second.url);
    for (const [name, value] of browser.cookies) other.cookies.set(name, value);
    database.run('UPDATE "Account" SET expires_at = ? WHERE provider = ?', Math.floor(Date.now() / 1000) - 60, 'logto');
    issuer.resetRequests();

    try {
      const reads = await Promise.all(Array.from({ length: 20 }, (_, index) => readSession(index % 2 ? other : browser)));

      expect(issuer.count('token', 'refresh_token')).toBe(1);
      for (const session of reads) expect(session?.error).toBeUndefined();
      expect(new Set(reads.map((session) => session?.accessTokenExpiresAt))).toEqual(new Set([account().expires_at]));
    } finally {
      await second.close();
    }
  });

  it('re-validates the refreshed id_token: one signed with another key fails the refresh and leaves the row as it was', async () => {
    const { issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    database.run('UPDATE "Account" SET expires_at = ? WHERE provider = ?', Math.floor(Date.now() / 1000) - 60, 'logto');
    const before = account();
    issuer.tamper = { foreignKey: true };

    const session = await readSession(browser);

    expect(session?.error).toBe('RefreshAccessTokenError');
    expect(account()).toEqual(before);
    expect(host().logs.join('\n')).toMatch(/LOGTO_REFRESH_ERROR/);
  });

  it('marks the session RefreshAccessTokenError and forgets the refresh token Logto refuses (invalid_grant)', async () => {
    const { issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    database.run('UPDATE "Account" SET expires_at = ? WHERE provider = ?', Math.floor(Date.now() / 1000) - 60, 'logto');
    issuer.tokenFailure = { status: 400, error: 'invalid_grant' };

    expect((await readSession(browser))?.error).toBe('RefreshAccessTokenError');
    issuer.resetRequests();
    expect((await readSession(browser))?.error).toBe('RefreshAccessTokenError');

    expect(account().refresh_token).toBeNull();
    // The refused token is not sent again on the next read.
    expect(issuer.count('token', 'refresh_token')).toBe(0);
  });

  it('writes a later sign-in’s tokens into the existing Account row (next-auth v4 does not)', async () => {
    const { issuer } = host();
    await signIn(host().browser(), issuer);
    const first = account();

    await signIn(host().browser(), issuer);

    const second = account();
    expect(second.userId).toBe(first.userId);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.id_token).not.toBe(first.id_token);
    expect(sessions()).toHaveLength(2);
  });

  it('shows a later sign-in’s roles in the user’s other sessions at once (the rows kept per process are dropped)', async () => {
    const { issuer } = host();
    const scope = { scope: 'openid offline_access profile email roles' };
    issuer.tenant.userRoles['user-1'] = ['reader'];
    const first = host().browser();
    await signIn(first, issuer, { params: scope });
    expect((await readSession(first))?.user.roles).toEqual(['reader']);
    issuer.tenant.userRoles['user-1'] = ['reader', 'editor'];

    await signIn(host().browser(), issuer, { params: scope });

    expect((await readSession(first))?.user.roles).toEqual(['reader', 'editor']);
    issuer.tenant.userRoles = {};
  });

  it('signs out at Logto: revokes the refresh token, deletes the Session row, answers end_session with the stored id_token', async () => {
    const { issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    const { id_token: idToken, refresh_token: refreshToken } = account();
    issuer.resetRequests();

    const response = await signOut(host(), browser);

    expect(response.status).toBe(200);
    const url = new URL((response.body as { url: string }).url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer.issuer}/session/end`);
    expect(url.searchParams.get('id_token_hint')).toBe(idToken);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(host().url);
    expect(issuer.requests.filter((r) => r.endpoint === 'revocation').map((r) => r.params.token)).toEqual([refreshToken]);
    expect(sessions()).toEqual([]);
    expect(database.rows('SELECT * FROM "LogtoSessionLink"')).toEqual([]);
    expect(browser.cookies.has(COOKIE)).toBe(false);
    expect(await readSession(browser)).toBeNull();
  });

  it('leaves a sign-out with a wrong CSRF token to next-auth, which keeps the session', async () => {
    const browser = host().browser();
    await signIn(browser, host().issuer);
    await csrfTokenOf(browser);
    host().issuer.resetRequests();

    const response = await browser.post('/api/auth/signout').type('form').send({ csrfToken: 'forged', json: 'true' });

    expect(response.status).toBe(200);
    expect(new URL((response.body as { url: string }).url).pathname).toBe('/api/auth/signout');
    expect(sessions()).toHaveLength(1);
    expect(host().issuer.count('revocation')).toBe(0);
  });

  it('ends only the session a back-channel logout’s sid names, on its next read', async () => {
    const { issuer } = host();
    const first = host().browser();
    await signIn(first, issuer);
    const firstSid = issuer.lastSid;
    const second = host().browser();
    await signIn(second, issuer);
    const token = await issuer.signLogoutToken({ claims: { sid: firstSid } });

    await host().browser().post('/api/auth/backchannel-logout').type('form').send({ logout_token: token }).expect(200);

    expect(sessions().map((row) => row.sessionToken)).toEqual([sessionTokenOf(second)]);
    expect(await readSession(first)).toBeNull();
    expect((await readSession(second))?.user.id).toBe(account().userId);
  });

  it('ends every session of a back-channel logout’s sub signed in before its iat when it names no sid', async () => {
    const { issuer } = host();
    const browsers = [host().browser(), host().browser()];
    for (const browser of browsers) await signIn(browser, issuer);
    const token = await issuer.signLogoutToken({ claims: { sid: undefined } });

    await host().browser().post('/api/auth/backchannel-logout').type('form').send({ logout_token: token }).expect(200);

    expect(sessions()).toEqual([]);
    for (const browser of browsers) expect(await readSession(browser)).toBeNull();
  });

  it('keeps the sessions a sub-only logout issued before they signed in does not cover', async () => {
    const { issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    database.run('UPDATE "LogtoSessionLink" SET authTime = authTime + 600');
    const token = await issuer.signLogoutToken({ claims: { sid: undefined } });

    await host().browser().post('/api/auth/backchannel-logout').type('form').send({ logout_token: token }).expect(200);

    expect(sessions()).toHaveLength(1);
    expect(await readSession(browser)).not.toBeNull();
  });
});

const BOOKS_API = 'https://api.books.example.com';

/** The host route's kit, for the server-side readers a page calls. */
function kitOf(host: HostApp): LogtoKit {
  if (!host.kit) throw new Error('the database host exports no kit');
  return host.kit;
}

/** A getServerSideProps context carrying this browser's cookies. */
function pageOf(browser: Browser) {
  return pageContext('/', { cookie: Array.from(browser.cookies, ([name, value]) => `${name}=${value}`).join('; ') });
}

describe('database sessions: server-side readers', () => {
  const database = useSqliteDatabase();
  const host = useHostApp({
    route: ROUTE,
    env: { DATABASE_URL: database.url, AUTH_LOGTO_RESOURCES: BOOKS_API, AUTH_LOGTO_SCOPES: 'read:books roles urn:logto:scope:organizations' },
  });
  const account = () => database.rows<AccountRow>('SELECT * FROM "Account" WHERE provider = ?', 'logto')[0];

  beforeEach(() => {
    const { issuer } = host();
    issuer.tenant = {
      resources: [BOOKS_API],
      roles: { reader: ['read:books'] },
      userRoles: { 'user-1': ['reader'] },
      memberships: { 'user-1': { 'org-acme': ['member'] } },
      organizationRoles: {},
    };
  });

  it('getAccessToken grants a resource token from the Account row’s refresh token and writes the rotated one back', async () => {
    const browser = host().browser();
    await signIn(browser, host().issuer);
    const before = account();

    const token = await kitOf(host()).getAccessToken(pageOf(browser), BOOKS_API);

    expect(decodeJwt(token)).toMatchObject({ aud: BOOKS_API, sub: 'user-1', scope: 'read:books' });
    const after = account();
    expect(after.refresh_token).not.toBe(before.refresh_token);
    // A resource grant leaves the session's own access token as it was.
    expect(after.access_token).toBe(before.access_token);
    // The next call is served from the kit's token store, and the session still refreshes with the new token.
    host().issuer.resetRequests();
    await expect(kitOf(host()).getAccessToken(pageOf(browser), BOOKS_API)).resolves.toBe(token);
    expect(host().issuer.count('token')).toBe(0);
    database.run('UPDATE "Account" SET expires_at = ? WHERE provider = ?', Math.floor(Date.now() / 1000) - 60, 'logto');
    expect((await readSession(browser))?.error).toBeUndefined();
    expect(host().issuer.revokedGrants()).toBe(0);
  });

  it('getOrganizationToken grants an organization token for a database session', async () => {
    const browser = host().browser();
    await signIn(browser, host().issuer);

    const token = await kitOf(host()).getOrganizationToken(pageOf(browser), 'org-acme');

    expect(decodeJwt(token)).toMatchObject({ aud: 'urn:logto:organization:org-acme', sub: 'user-1' });
  });

  it('getLogtoSession refreshes a due access token in the Account row', async () => {
    const browser = host().browser();
    await signIn(browser, host().issuer);
    database.run('UPDATE "Account" SET expires_at = ? WHERE provider = ?', Math.floor(Date.now() / 1000) - 60, 'logto');
    host().issuer.resetRequests();

    const session = await getLogtoSession(pageOf(browser), host().route.authOptions);

    expect(session?.user.id).toBe(account().userId);
    expect(host().issuer.count('token', 'refresh_token')).toBe(1);
    expect(account().expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
  });

  it('refuses tokens to a request whose session was signed out', async () => {
    const browser = host().browser();
    await signIn(browser, host().issuer);
    const page = pageOf(browser);
    await signOut(host(), browser);

    await expect(kitOf(host()).getAccessToken(page, BOOKS_API)).rejects.toMatchObject({ code: 'not_signed_in' });
  });
});

describe('database sessions: another provider next to Logto', () => {
  const database = useSqliteDatabase();
  const env: Record<string, string> = { DATABASE_URL: database.url };
  let acme: TestIssuer;
  beforeAll(async () => {
    // ACME is another issuer; its user is Bob. Set before the host loads its route, which reads ACME_*.
    acme = await startTestIssuer({ clientId: 'acme-client', clientSecret: 'acme-secret' });
    acme.user = { sub: 'bob-1', name: 'Bob Acme', email: 'bob@acme.example.com' };
    Object.assign(env, { ACME_ISSUER: acme.issuer, ACME_CLIENT_ID: 'acme-client', ACME_CLIENT_SECRET: 'acme-secret' });
  });
  afterAll(() => acme.close());
  const host = useHostApp({ route: ROUTE, env });

  /** Signs in through ACME as `signIn('acme')` does. */
  async function signInWithAcme(browser: Browser) {
    const csrfToken = await csrfTokenOf(browser);
    const started = await browser.post('/api/auth/signin/acme').type('form').send({ csrfToken, callbackUrl: host().url });
    const callback = await acme.authorize(started.headers.location as string);
    return browser.get(callback.toString());
  }

  it('keeps an ACME session as next-auth has it: no Logto claims, no link, and a local sign-out', async () => {
    const browser = host().browser();
    expect((await signInWithAcme(browser)).status).toBe(302);

    const session = await readSession(browser);
    expect(session?.user).toMatchObject({ name: 'Bob Acme', email: 'bob@acme.example.com', roles: [], organizations: [] });
    expect(session).not.toHaveProperty('accessTokenExpiresAt');
    expect(session).not.toHaveProperty('error');
    expect(database.rows('SELECT * FROM "LogtoSessionLink"')).toEqual([]);

    acme.resetRequests();
    host().issuer.resetRequests();
    const response = await signOut(host(), browser);
    expect((response.body as { url: string }).url).toBe(`${host().url}/`);
    expect(database.rows('SELECT * FROM "Session"')).toEqual([]);
    expect(acme.count('revocation') + host().issuer.count('revocation')).toBe(0);
  });
});

describe('createLogtoKit({ database }) missing', () => {
  it('makes withLogto name the fix when authOptions use database sessions', () => {
    const kit = createLogtoKit({ provider: logtoProvider, env: readLogtoEnv(process.env) });

    expect(() => kit.withLogto({ providers: [logtoProvider], adapter: {} })).toThrow(
      /database sessions.*createPrismaAccountStore\(db\).*docs\/database-sessions\.md/,
    );
    expect(() => kit.withLogto({ providers: [logtoProvider], adapter: {}, session: { strategy: 'jwt' } })).not.toThrow();
  });
});
