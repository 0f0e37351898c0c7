import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import supertest from 'supertest';
import { logtoTablesSql } from '@/lib/logto';
import { findFreePort } from '../../scripts/free-port';
import { createBrowser, type Browser } from '../logto-kit/helpers/browser';
import { csrfTokenOf, readSession, signIn } from '../logto-kit/helpers/sign-in-flow';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';
import { startPostgresServer, type PostgresServer } from '../../scripts/postgres/postgres-server';
import { waitUntil } from '../helpers/wait-until';
import { startRouteInstance, type RouteInstance } from './helpers/route-instances';

const ROUTE = '__tests__/fixtures/postgres-host-route.mts';
const BOOKS_API = 'https://api.books.example.com';

/** A browser of `instance` holding the cookies `from` holds: the same user, behind a load balancer. */
function sameBrowserAt(instance: RouteInstance, from: Browser): Browser {
  const browser = createBrowser(instance.url);
  for (const [name, value] of from.cookies) browser.cookies.set(name, value);
  return browser;
}

/** GET /api/auth/session at `instance` with `browser`'s cookies: the status and the body. */
async function sessionAt(instance: RouteInstance, browser: Browser) {
  const response = await sameBrowserAt(instance, browser).get('/api/auth/session');
  return { status: response.status, session: response.body as { user?: { id: string }; error?: string } };
}

// Two instances of a database-session app (each its own process) on one PostgreSQL 15 cluster, with
// @auth/kysely-adapter and the kit's SQL store; a test issuer counts the grants.
describe('database sessions on PostgreSQL across two instances (Kysely adapter)', () => {
  let postgres: PostgresServer;
  let issuer: TestIssuer;
  let instances: RouteInstance[] = [];
  let a: RouteInstance;
  let b: RouteInstance;

  beforeAll(async () => {
    [postgres, issuer] = await Promise.all([startPostgresServer(), startTestIssuer()]);
    await postgres.query(readFileSync(join(__dirname, 'kysely-schema.sql'), 'utf8'));
    for (const statement of logtoTablesSql()) await postgres.query(statement);
    issuer.tenant = { resources: [BOOKS_API], roles: {}, userRoles: {}, memberships: {}, organizationRoles: {} };
    const ports = await Promise.all([findFreePort(), findFreePort()]);
    // Both instances share one NEXTAUTH_URL, as behind a load balancer; the issuer's logout tokens reach the first.
    const env = {
      AUTH_LOGTO_ISSUER: issuer.issuer,
      AUTH_LOGTO_ID: issuer.clientId,
      AUTH_LOGTO_SECRET: issuer.clientSecret,
      AUTH_LOGTO_RESOURCES: BOOKS_API,
      NEXTAUTH_URL: `http://127.0.0.1:${ports[0]}`,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
      DATABASE_URL: postgres.url,
    };
    issuer.postLogoutRedirectUris.push(env.NEXTAUTH_URL);
    instances = await Promise.all(ports.map((port) => startRouteInstance(ROUTE, port, env)));
    [a, b] = instances;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await Promise.all([postgres?.stop(), issuer?.close()]);
  });

  beforeEach(() => {
    issuer.resetRequests();
    for (const instance of instances) instance.logs.splice(0);
  });

  /** Signs a new browser in through instance A. */
  async function signInAtA(): Promise<Browser> {
    const browser = createBrowser(a.url);
    const { callbackResponse } = await signIn(browser, issuer);
    expect(callbackResponse.status).toBe(302);
    expect(new URL(callbackResponse.headers.location as string).pathname).toBe('/');
    return browser;
  }

  const expireAccessToken = () =>
    postgres.query('UPDATE "Account" SET expires_at = $1 WHERE provider = $2', [Math.floor(Date.now() / 1000) - 60, 'logto']);

  it('makes exactly one refresh grant for 20 concurrent reads of an expired session spread across both', async () => {
    const browser = await signInAtA();
    const [before] = await postgres.query<{ refresh_token: string }>('SELECT refresh_token FROM "Account"');
    await expireAccessToken();
    issuer.resetRequests();

    const reads = await Promise.all(Array.from({ length: 20 }, (_, index) => sessionAt(index % 2 ? b : a, browser)));

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(issuer.revokedGrants()).toBe(0);
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(read.session.user?.id).toEqual(expect.any(String));
      expect(read.session.error).toBeUndefined();
    }
    const [after] = await postgres.query<{ refresh_token: string; expires_at: string }>('SELECT refresh_token, expires_at FROM "Account"');
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(Number(after.expires_at)).toBeGreaterThan(Date.now() / 1000 + 3000);
    await expect(postgres.query('SELECT * FROM logto_refresh_lock')).resolves.toEqual([]);
  });

  it('ends the session on both instances when Logto signs the user out (back-channel logout to one)', async () => {
    const browser = await signInAtA();
    expect((await sessionAt(b, browser)).session.user).toBeDefined();

    const logoutToken = await issuer.signLogoutToken();
    await supertest(a.url).post('/api/auth/backchannel-logout').type('form').send({ logout_token: logoutToken }).expect(200);

    for (const instance of [a, b]) expect(await sessionAt(instance, browser)).toEqual({ status: 200, session: {} });
    await expect(postgres.query('SELECT * FROM "Session" WHERE "sessionToken" = $1', [browser.cookies.get('next-auth.session-token')])).resolves.toEqual([]);
  });

  it('signs out at Logto through one instance and the other sees no session', async () => {
    const browser = await signInAtA();
    const other = sameBrowserAt(b, browser);
    const csrfToken = await csrfTokenOf(other);

    const response = await other.post('/api/auth/signout').type('form').send({ csrfToken, json: 'true' });

    expect(new URL((response.body as { url: string }).url).pathname).toBe('/oidc/session/end');
    expect(issuer.count('revocation')).toBe(1);
    expect(await readSession(browser)).toBeNull();
  });

  it('answers a PostgreSQL outage with clear errors and no 5xx, and keeps the session for when it is back', async () => {
    const browser = await signInAtA();
    const userId = (await sessionAt(a, browser)).session.user?.id;
    expect(userId).toEqual(expect.any(String));
    // A host query holds a connection on each instance when the server dies: pg reports that on the connection itself.
    // then() sends each request now; their answers are awaited after the kill.
    const longQueries = [a, b].map((instance) => supertest(instance.url).get('/api/long-query?seconds=30').then((response) => response));
    await waitUntil(async () => {
      const [{ count }] = await postgres.query<{ count: string }>("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'");
      return Number(count) === 2;
    }, 10_000);

    await postgres.kill();
    try {
      for (const answer of await Promise.all(longQueries)) {
        expect(answer.status).toBe(503);
        expect(answer.body.message).toMatch(/Connection terminated unexpectedly/);
      }
      for (const instance of [a, b]) {
        // next-auth's session read fails and answers "no session"; the cookie stays.
        const read = await sameBrowserAt(instance, browser).get('/api/auth/session');
        expect(read.status).toBe(200);
        expect(read.body).toEqual({});
        expect(String(read.headers['set-cookie'] ?? '')).not.toMatch(/next-auth\.session-token=;/);
        const token = await sameBrowserAt(instance, browser).get(`/api/token?resource=${encodeURIComponent(BOOKS_API)}`);
        expect(token.status).toBeLessThan(500);
        expect(token.body).toMatchObject({ code: 'database_error', message: expect.stringMatching(/check that the database is up/) });
      }
      const logout = await supertest(a.url).post('/api/auth/backchannel-logout').type('form').send({ logout_token: await issuer.signLogoutToken() });
      expect(logout.status).toBe(400);
      expect(logout.body.error_description).toMatch(/the logout could not be recorded/);
      const newcomer = createBrowser(b.url);
      const { callbackResponse } = await signIn(newcomer, issuer);
      expect(callbackResponse.status).toBe(302);
      expect(new URL(callbackResponse.headers.location as string).pathname).toBe('/api/auth/error');

      const logs = [...a.logs, ...b.logs];
      expect(logs.join('\n')).toMatch(/SESSION_ERROR: the database of the sessions .* did not answer .* Fix: check that the database runs/);
      expect(logs.filter((line) => line.startsWith('UNCAUGHT'))).toEqual([]);
    } finally {
      await postgres.start();
    }

    for (const instance of [a, b]) {
      const { status, session } = await sessionAt(instance, browser);
      expect(status).toBe(200);
      expect(session.user?.id).toBe(userId);
      expect(session.error).toBeUndefined();
    }
  });
});
