import type { Response } from 'supertest';
import { createLogtoKit, readLogtoEnv } from '@/lib/logto';
import { createAuthLogger } from '@/lib/logto/log/logger';
import { EXPIRY_MARGIN_SECONDS } from '@/lib/logto/session/refresh-access-token';
import { CLOCK_SKEW_SECONDS } from '@/lib/logto/oidc/time-claims';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { nextAuthSegments, startApiRouteServer, type ApiModule, type ApiRouteServer } from '../logto-kit/helpers/api-route-server';
import { createBrowser } from '../logto-kit/helpers/browser';
import { readSession, setCookieNames, signIn } from '../logto-kit/helpers/sign-in-flow';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';

const NOW = 1_764_205_200;
const SKEW = CLOCK_SKEW_SECONDS;

// Only Date is faked: app and issuer share one frozen clock, so "right at the skew" means exactly that
// (a real clock can tick a second between signing and checking). Timers and I/O stay real.
function freezeDate() {
  jest.useFakeTimers({
    now: NOW * 1000,
    doNotFake: [
      'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame',
      'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval',
      'clearInterval', 'setTimeout', 'clearTimeout',
    ],
  });
}

function setsSession(response: Response): boolean {
  return setCookieNames(response).some((name) => /session-token(\.\d+)?$/.test(name));
}

describe('GET /api/auth/callback/logto checking id_token time claims', () => {
  const harness = setupAuthApp();
  beforeEach(freezeDate);
  afterEach(() => {
    jest.useRealTimers();
    harness.issuer.tamper = undefined;
    harness.issuer.clockOffsetSeconds = 0;
  });

  async function expectRefused(logged: string) {
    const { app, issuer } = harness;
    const browser = app.browser();
    const { callbackResponse } = await signIn(browser, issuer);
    expect(callbackResponse.status).toBe(302);
    expect(callbackResponse.headers.location).toBe(`${app.url}/api/auth/error?error=OAuthCallback`);
    expect(setsSession(callbackResponse)).toBe(false);
    expect(await readSession(browser)).toBeNull();
    expect(app.logs).toEqual([expect.stringContaining(`[auth] OAUTH_CALLBACK_ERROR: ${logged}`)]);
  }

  async function expectAccepted() {
    const { app, issuer } = harness;
    const browser = app.browser();
    const { callbackResponse } = await signIn(browser, issuer);
    expect(callbackResponse.headers.location).toBe(`${app.url}/`);
    expect((await readSession(browser))?.user.id).toBe('user-1');
    expect(app.logs).toEqual([]);
  }

  const clock = "Fix: check that the server's clock is right (NTP).";
  it.each<[string, () => void, string]>([
    ['iat 11 s in the future', () => (harness.issuer.clockOffsetSeconds = SKEW + 1), `the ID token's \`iat\` claim does not fit this server's clock, even with the 10 s allowed skew. ${clock} (time claim iat refused: the token was issued 11 s in the future (iat ${NOW + 11}, now ${NOW}, allowed skew 10 s))`],
    ['iat after exp', () => (harness.issuer.tamper = { claims: { iat: NOW + 5, exp: NOW + 4 } }), `the ID token's \`iat\` claim does not fit this server's clock, even with the 10 s allowed skew. ${clock} (time claim iat refused: the token was issued after it expired (iat ${NOW + 5}, exp ${NOW + 4}))`],
    ['no iat', () => (harness.issuer.tamper = { claims: { iat: undefined } }), "the ID token's `iat` claim is missing or not a number of seconds. Fix: check that AUTH_LOGTO_ISSUER points at your Logto tenant. (missing required JWT property iat)"],
    ['exp 10 s ago', () => (harness.issuer.clockOffsetSeconds = -3600 - SKEW), `the ID token is expired or not yet valid. ${clock} (JWT expired, now ${NOW - SKEW}, exp ${NOW - SKEW})`],
    ['no exp', () => (harness.issuer.tamper = { claims: { exp: undefined } }), "the ID token's `exp` claim is missing or not a number of seconds. Fix: check that AUTH_LOGTO_ISSUER points at your Logto tenant. (missing required JWT property exp)"],
    ['exp as a string', () => (harness.issuer.tamper = { claims: { exp: String(NOW + 3600) } }), "the ID token's `exp` claim is missing or not a number of seconds. Fix: check that AUTH_LOGTO_ISSUER points at your Logto tenant. (JWT exp claim must be a JSON numeric value)"],
    ['nbf 11 s in the future', () => (harness.issuer.tamper = { claims: { nbf: NOW + SKEW + 1 } }), `the ID token is expired or not yet valid. ${clock} (JWT not active yet, now ${NOW + SKEW}, nbf ${NOW + SKEW + 1})`],
    ['auth_time 11 s in the future', () => (harness.issuer.tamper = { claims: { iat: NOW + 5, auth_time: NOW + SKEW + 1 } }), `the ID token's \`auth_time\` claim does not fit this server's clock, even with the 10 s allowed skew. ${clock} (time claim auth_time refused: the sign-in time lies in the future`],
  ])('refuses an id_token with %s, with no session and one log line', async (_case, spoil, logged) => {
    spoil();
    await expectRefused(logged);
  });

  it.each<[string, () => void]>([
    ['iat 10 s in the future', () => (harness.issuer.clockOffsetSeconds = SKEW)],
    ['exp 9 s ago', () => (harness.issuer.clockOffsetSeconds = -3600 - SKEW + 1)],
    ['nbf 10 s in the future', () => (harness.issuer.tamper = { claims: { nbf: NOW + SKEW } })],
    ['auth_time 10 s in the future', () => (harness.issuer.tamper = { claims: { auth_time: NOW + SKEW } })],
  ])('accepts an id_token with %s (right at the skew)', async (_case, skewed) => {
    skewed();
    await expectAccepted();
  });
});

describe('GET /api/auth/session checking the refreshed id_token', () => {
  const harness = setupAuthApp();
  beforeEach(freezeDate);
  afterEach(() => {
    jest.useRealTimers();
    harness.issuer.clockOffsetSeconds = 0;
    harness.issuer.accessTokenTtl = 3600;
  });

  async function signInDue() {
    const { app, issuer } = harness;
    // Shorter than the refresh margin: the next session read refreshes.
    issuer.accessTokenTtl = EXPIRY_MARGIN_SECONDS - 20;
    const browser = app.browser();
    await signIn(browser, issuer);
    issuer.accessTokenTtl = 3600;
    issuer.resetRequests();
    expect(app.logs).toEqual([]);
    return browser;
  }

  it('marks the session RefreshAccessTokenError when the refreshed id_token was issued 11 s in the future', async () => {
    const { app, issuer } = harness;
    const browser = await signInDue();
    issuer.clockOffsetSeconds = SKEW + 1;
    const session = await readSession(browser);
    expect(session?.error).toBe('RefreshAccessTokenError');
    expect(app.logs).toEqual([
      expect.stringContaining(`[auth] LOGTO_REFRESH_ERROR: the ID token's \`iat\` claim does not fit this server's clock, even with the 10 s allowed skew. Fix: check that the server's clock is right (NTP). (time claim iat refused: the token was issued 11 s in the future`),
    ]);
  });

  it('accepts a refreshed id_token issued 10 s in the future', async () => {
    const { app, issuer } = harness;
    const browser = await signInDue();
    issuer.clockOffsetSeconds = SKEW;
    const session = await readSession(browser);
    expect(session?.user.id).toBe('user-1');
    expect(session?.error).toBeUndefined();
    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(app.logs).toEqual([]);
  });
});

// An app whose provider sends max_age: Logto must then put auth_time in the id_token, at most max_age old.
describe('GET /api/auth/callback/logto with max_age in the authorization request', () => {
  const MAX_AGE = 300;
  let issuer: TestIssuer;
  let server: ApiRouteServer;
  const logs: string[] = [];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    // The kit needs the server's URL, the server the kit's handler: filled in once both exist.
    const route: { default?: ApiModule['default'] } = {};
    server = await startApiRouteServer((pathname) =>
      pathname.startsWith('/api/auth/') ? { module: route as ApiModule, query: nextAuthSegments(pathname) } : undefined,
    );
    const env = readLogtoEnv({
      AUTH_LOGTO_ISSUER: issuer.issuer,
      AUTH_LOGTO_ID: issuer.clientId,
      AUTH_LOGTO_SECRET: issuer.clientSecret,
      NEXTAUTH_URL: server.url,
      NEXTAUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
    });
    // next-auth reads NEXTAUTH_URL from the environment on every request.
    process.env.NEXTAUTH_URL = server.url;
    const { logtoProvider } = await import('@/pages/api/auth/[...nextauth]');
    const params = typeof logtoProvider.authorization === 'object' ? logtoProvider.authorization.params : {};
    const provider = {
      ...logtoProvider,
      issuer: env.AUTH_LOGTO_ISSUER,
      wellKnown: `${env.AUTH_LOGTO_ISSUER}/.well-known/openid-configuration`,
      clientId: env.AUTH_LOGTO_ID,
      clientSecret: env.AUTH_LOGTO_SECRET,
      authorization: { params: { ...params, max_age: MAX_AGE } },
    };
    const logger = createAuthLogger({ error: (line) => logs.push(line), warn: (line) => logs.push(line) });
    const kit = createLogtoKit({ provider, env, logger });
    route.default = kit.handler(kit.withLogto({ providers: [provider], secret: env.NEXTAUTH_SECRET, session: { strategy: 'jwt' } })) as ApiModule['default'];
  });
  afterAll(async () => {
    await server.close();
    await issuer.close();
  });
  beforeEach(() => {
    freezeDate();
    logs.splice(0);
  });
  afterEach(() => {
    jest.useRealTimers();
    issuer.tamper = undefined;
  });

  async function signInHere() {
    const browser = createBrowser(server.url);
    const flow = await signIn(browser, issuer);
    return { browser, flow };
  }

  it('sends max_age and accepts a sign-in that is max_age + 10 s old', async () => {
    issuer.tamper = { claims: { auth_time: NOW - MAX_AGE - SKEW } };
    const { browser, flow } = await signInHere();
    expect(flow.authorizationUrl.searchParams.get('max_age')).toBe(String(MAX_AGE));
    expect(flow.callbackResponse.headers.location).toBe(`${server.url}/`);
    expect((await readSession(browser))?.user.id).toBe('user-1');
    expect(logs).toEqual([]);
  });

  it('accepts the auth_time the issuer puts in for max_age', async () => {
    const { flow } = await signInHere();
    expect(flow.callbackResponse.headers.location).toBe(`${server.url}/`);
    expect(logs).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a sign-in max_age + 11 s old', { auth_time: NOW - MAX_AGE - SKEW - 1 }, "the user's sign-in at Logto is older than the max_age this app asks for"],
    ['no auth_time', { auth_time: undefined }, "the ID token's `auth_time` claim is missing or not a number of seconds"],
  ])('refuses an id_token with %s', async (_case, claims, logged) => {
    issuer.tamper = { claims };
    const { browser, flow } = await signInHere();
    expect(flow.callbackResponse.headers.location).toBe(`${server.url}/api/auth/error?error=OAuthCallback`);
    expect(setsSession(flow.callbackResponse)).toBe(false);
    expect(await readSession(browser)).toBeNull();
    expect(logs).toEqual([expect.stringContaining(`[auth] OAUTH_CALLBACK_ERROR: ${logged}`)]);
  });
});
