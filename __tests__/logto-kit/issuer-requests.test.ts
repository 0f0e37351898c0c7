import { useHostApp } from './helpers/host-app';
import { readSession, signIn, startSignIn } from './helpers/sign-in-flow';
import type { Endpoint, TestIssuer } from './helpers/test-issuer';

/** The app's requests to the issuer since the last reset, per endpoint; the browser's hop to `authorization` left out. */
function appRequests(issuer: TestIssuer): Partial<Record<Endpoint, number>> {
  const counts: Partial<Record<Endpoint, number>> = {};
  for (const { endpoint } of issuer.requests) {
    if (endpoint === 'authorization' || endpoint === 'unknown') continue;
    counts[endpoint] = (counts[endpoint] ?? 0) + 1;
  }
  return counts;
}

// Drop-in: the kit caches discovery and the JWKS per process and reads the profile from the id_token, so
// that once warm a sign-in costs Logto one request, the token exchange (no discovery, JWKS or userinfo).
describe('your /api/auth/* requests to Logto', () => {
  const host = useHostApp();

  it('fetches discovery and the JWKS once, then each sign-in costs one token request and a session read none', async () => {
    const { issuer } = host();
    const first = await signIn(host().browser(), issuer);
    expect(first.callbackResponse.headers.location).not.toMatch(/[?&]error=/);
    expect(appRequests(issuer)).toEqual({ discovery: 1, jwks: 1, token: 1 });

    const browser = host().browser();
    issuer.resetRequests();
    const started = await startSignIn(browser);
    expect(started.status).toBe(302);
    expect(String(started.headers.location).split('?')[0]).toBe(`${issuer.issuer}/auth`);
    expect(appRequests(issuer)).toEqual({});

    const callbackUrl = await issuer.authorize(String(started.headers.location));
    issuer.resetRequests();
    const callback = await browser.get(callbackUrl.toString());
    expect(callback.status).toBe(302);
    expect(callback.headers.location).not.toMatch(/[?&]error=/);
    expect(issuer.requests).toEqual([expect.objectContaining({ endpoint: 'token', grantType: 'authorization_code' })]);

    issuer.resetRequests();
    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));
    expect(issuer.requests).toEqual([]);
  });

  it('accepts an id_token signed with a key Logto just rotated in, with one JWKS request', async () => {
    const { issuer } = host();
    await signIn(host().browser(), issuer);
    await issuer.rotateKey();
    const browser = host().browser();
    issuer.resetRequests();

    const { callbackResponse } = await signIn(browser, issuer);

    expect(callbackResponse.status).toBe(302);
    expect(callbackResponse.headers.location).not.toMatch(/[?&]error=/);
    expect(appRequests(issuer)).toEqual({ token: 1, jwks: 1 });
    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));
  });
});

// Drop-in: OIDC Discovery §4.3, the discovery document must name the configured issuer.
describe('your /api/auth/signin/logto with a discovery document that names another issuer', () => {
  const host = useHostApp();

  it('sends the browser to the error page, not to that issuer', async () => {
    const { issuer } = host();
    issuer.discoveryOverrides = { issuer: 'https://other-tenant.example.com/oidc' };

    const started = await startSignIn(host().browser());

    expect(started.status).toBe(302);
    expect(started.headers.location).toMatch(/[?&]error=OAuthSignin/);
    expect(started.headers.location).not.toContain(issuer.issuer);
    expect(host().logs.join('\n')).toMatch(/LOGTO_DISCOVERY_ERROR/);
  });
});
