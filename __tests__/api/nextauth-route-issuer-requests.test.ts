import { MAX_FORCED_JWKS_REFETCHES } from '@/lib/logto/oidc/jwks-refetch-guard';
import { DISCOVERY_TTL_MS } from '@/lib/logto/oidc/issuer-cache';
import { startAuthApp } from '../helpers/auth-app';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { readSession, signIn, startSignIn } from '../logto-kit/helpers/sign-in-flow';
import type { Endpoint, TestIssuer } from '../logto-kit/helpers/test-issuer';
import { waitUntil } from '../helpers/wait-until';

// What the app asks the issuer for; `authorization` is the browser's hop, not the app's, so it is left out.
type AppEndpoint = Exclude<Endpoint, 'authorization'>;

/** The app's requests to the issuer since the last reset, counted per endpoint (zero counts left out). */
function appRequests(issuer: TestIssuer): Partial<Record<AppEndpoint, number>> {
  const counts: Partial<Record<AppEndpoint, number>> = {};
  for (const { endpoint } of issuer.requests) {
    if (endpoint === 'authorization' || endpoint === 'unknown') continue;
    counts[endpoint] = (counts[endpoint] ?? 0) + 1;
  }
  return counts;
}

describe('/api/auth/[...nextauth] requests to the issuer', () => {
  // A fresh app per test: each one starts with cold discovery and JWKS caches.
  const harness = setupAuthApp({ perTest: true });

  it('fetches discovery at the first sign-in start and the JWKS with the first token', async () => {
    const { app, issuer } = harness;
    const browser = app.browser();

    const started = await startSignIn(browser);
    expect(started.status).toBe(302);
    expect(appRequests(issuer)).toEqual({ discovery: 1 });

    const callbackUrl = await issuer.authorize(started.headers.location);
    issuer.resetRequests();
    const callback = await browser.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe(`${app.url}/`);
    expect(appRequests(issuer)).toEqual({ token: 1, jwks: 1 });
  });

  it('makes no request at a warm sign-in start or session read, and only the token request at its callback', async () => {
    const { app, issuer } = harness;
    await signIn(app.browser(), issuer);
    const browser = app.browser();

    issuer.resetRequests();
    const started = await startSignIn(browser, { callbackUrl: `${app.url}/protected` });
    expect(started.status).toBe(302);
    expect(started.headers.location.split('?')[0]).toBe(`${issuer.issuer}/auth`);
    expect(appRequests(issuer)).toEqual({});

    const callbackUrl = await issuer.authorize(started.headers.location);
    issuer.resetRequests();
    const callback = await browser.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe(`${app.url}/protected`);
    expect(issuer.requests).toEqual([expect.objectContaining({ endpoint: 'token', grantType: 'authorization_code' })]);

    issuer.resetRequests();
    expect((await readSession(browser))?.user.id).toBe('user-1');
    expect(issuer.requests).toEqual([]);
  });

  it('fetches discovery once for many simultaneous first sign-in starts', async () => {
    const { app, issuer } = harness;
    const starts = await Promise.all(Array.from({ length: 20 }, () => startSignIn(app.browser())));

    for (const started of starts) {
      expect(started.status).toBe(302);
      expect(started.headers.location.split('?')[0]).toBe(`${issuer.issuer}/auth`);
    }
    expect(issuer.count('discovery')).toBe(1);
  });

  it('accepts an id_token signed with a rotated key right after a JWKS fetch', async () => {
    const { app, issuer } = harness;
    await signIn(app.browser(), issuer);
    await issuer.rotateKey();
    const browser = app.browser();

    issuer.resetRequests();
    const flow = await signIn(browser, issuer, { callbackUrl: `${app.url}/protected` });

    expect(flow.callbackResponse.status).toBe(302);
    expect(flow.callbackResponse.headers.location).toBe(`${app.url}/protected`);
    expect(appRequests(issuer)).toEqual({ token: 1, jwks: 1 });
    expect((await readSession(browser))?.user.id).toBe('user-1');
    expect(app.logs).toEqual([]);
  });

  it('accepts a rotated key in every one of several simultaneous callbacks', async () => {
    const { app, issuer } = harness;
    await signIn(app.browser(), issuer);
    const browsers = Array.from({ length: 5 }, () => app.browser());
    const callbackUrls = await Promise.all(
      browsers.map(async (browser) => issuer.authorize((await startSignIn(browser)).headers.location)),
    );
    await issuer.rotateKey();

    issuer.resetRequests();
    const callbacks = await Promise.all(
      browsers.map((browser, i) => browser.get(`${callbackUrls[i].pathname}${callbackUrls[i].search}`)),
    );

    expect(callbacks.map((callback) => callback.headers.location)).toEqual(browsers.map(() => `${app.url}/`));
    expect(appRequests(issuer)).toEqual({ token: 5, jwks: 1 });
  });

  it('fetches the JWKS a bounded number of times for a burst of unknown kids', async () => {
    const { app, issuer } = harness;
    const burst = 3 * MAX_FORCED_JWKS_REFETCHES;
    for (let i = 0; i < burst; i += 1) {
      issuer.tamper = { kid: `bogus-${i}`, foreignKey: true };
      const flow = await signIn(app.browser(), issuer);
      expect(flow.callbackResponse.status).toBe(302);
      expect(flow.callbackResponse.headers.location).toBe(`${app.url}/api/auth/error?error=OAuthCallback`);
    }

    expect(issuer.count('token')).toBe(burst);
    expect(issuer.count('jwks')).toBe(MAX_FORCED_JWKS_REFETCHES);
    expect(app.logs.filter((line) => line.includes('LOGTO_JWKS_REFETCH_LIMIT'))).toHaveLength(
      burst - MAX_FORCED_JWKS_REFETCHES,
    );

    // The real key was fetched with the first refetch, so honest sign-ins go on with no JWKS request.
    issuer.tamper = undefined;
    issuer.resetRequests();
    const honest = await signIn(app.browser(), issuer);
    expect(honest.callbackResponse.headers.location).toBe(`${app.url}/`);
    expect(appRequests(issuer)).toEqual({ token: 1 });
  });

  it('refuses a discovery document that names another issuer, with a log line saying so', async () => {
    const { app, issuer } = harness;
    issuer.discoveryOverrides = { issuer: 'https://other-tenant.example.com/oidc' };

    const started = await startSignIn(app.browser());

    expect(started.status).toBe(302);
    expect(started.headers.location).toBe(`${app.url}/auth/error?error=OAuthSignin`);
    expect(issuer.count('authorization')).toBe(0);
    expect(app.logs).toEqual([
      expect.stringContaining(
        '[auth] LOGTO_DISCOVERY_ERROR: the discovery document belongs to another issuer. ' +
          'Fix: set AUTH_LOGTO_ISSUER to your Logto endpoint followed by /oidc',
      ),
    ]);
    expect(app.logs[0]).toContain(
      `names the issuer "https://other-tenant.example.com/oidc", but AUTH_LOGTO_ISSUER is "${issuer.issuer}"`,
    );
  });

  it('starts a sign-in from the cache while the issuer is down', async () => {
    const { app, issuer } = harness;
    await signIn(app.browser(), issuer);
    await issuer.pause();

    const started = await startSignIn(app.browser());

    expect(started.status).toBe(302);
    expect(started.headers.location.split('?')[0]).toBe(`${issuer.issuer}/auth`);
    expect(app.logs).toEqual([]);
  });

  it('signs in with stale discovery when the refetch after the TTL fails, and logs why', async () => {
    // The discovery cache reads the clock it was created with, so this app is started on a clock the test moves.
    await harness.app.close();
    let offsetMs = 0;
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
    harness.app = await startAuthApp(harness.issuer);
    const { app, issuer } = harness;
    await signIn(app.browser(), issuer);
    await issuer.pause();
    offsetMs = DISCOVERY_TTL_MS + 1000;
    const browser = app.browser();

    const started = await startSignIn(browser);
    expect(started.status).toBe(302);
    expect(started.headers.location.split('?')[0]).toBe(`${issuer.issuer}/auth`);
    await waitUntil(() => app.logs.length > 0);
    expect(app.logs).toEqual([
      expect.stringContaining('[auth] LOGTO_DISCOVERY_STALE: Logto could not be reached or answered with an error'),
    ]);

    // The issuer is back before the user returns from it; the callback still runs on the stale metadata.
    await issuer.resume();
    const callbackUrl = await issuer.authorize(started.headers.location);
    issuer.resetRequests();
    const callback = await browser.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    expect(callback.headers.location).toBe(`${app.url}/`);
    expect(appRequests(issuer)).toEqual({ token: 1 });
    expect(app.logs).toHaveLength(1);
  });
});
