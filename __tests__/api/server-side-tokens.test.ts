import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { LogtoKit, RequestContext } from '@/lib/logto';
import { startHostApp, type HostApp } from '../logto-kit/helpers/host-app';
import { csrfTokenOf, readSession, sessionCookieHeader, decodeSessionCookie, signIn } from '../logto-kit/helpers/sign-in-flow';
import { ORGANIZATIONS_SCOPE } from '../logto-kit/helpers/test-issuer';

// createLogtoKit({ tokenStorage: 'server' }) (__tests__/fixtures/server-side-tokens-route.ts): the session cookie
// holds a handle, Logto's tokens live in the kit's store, and every feature works as with tokens in the cookie.
describe('/api/auth/* with tokenStorage: server', () => {
  let host: HostApp;
  // 500 organizations with two roles each: about 54 KB of cookie (14 chunks) with the tokens in the cookie.
  const memberships = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`org${String(i).padStart(9, '0')}`, ['member', 'viewer']]));

  beforeAll(async () => {
    host = await startHostApp({
      route: '__tests__/fixtures/server-side-tokens-route.ts',
      env: { AUTH_LOGTO_SCOPES: `${ORGANIZATIONS_SCOPE} urn:logto:scope:organization_roles`, AUTH_LOGTO_RESOURCES: 'https://api.example.com' },
    });
  });
  afterAll(() => host.close());
  beforeEach(() => {
    host.issuer.tenant = { resources: ['https://api.example.com'], roles: {}, userRoles: {}, memberships: { [host.issuer.user.sub]: memberships }, organizationRoles: {} };
    host.issuer.accessTokenTtl = 3600;
    host.issuer.resetRequests();
    host.logs.splice(0);
  });

  it('keeps the session cookie to one chunk and without tokens at 500 organizations, and shows them in the session', async () => {
    const browser = host.browser();
    const { callbackResponse } = await signIn(browser, host.issuer);
    const cookie = sessionCookieHeader(callbackResponse);
    expect(cookie.startsWith('next-auth.session-token=')).toBe(true);
    expect(cookie).not.toContain('next-auth.session-token.0');
    expect(cookie.length).toBeLessThan(1000);
    const raw = await decodeSessionCookie(cookie);
    expect(raw).toMatchObject({ tokensStored: true, sessionId: expect.any(String) });
    expect(raw).not.toHaveProperty('idToken');
    expect(raw).not.toHaveProperty('refreshToken');
    expect(raw).not.toHaveProperty('accessToken');

    const session = await readSession(browser);
    expect(session?.user.organizations).toHaveLength(500);
    expect(session?.user.organizations[0]).toEqual({ id: 'org000000000', roles: ['member', 'viewer'] });
    expect(host.logs.filter((line) => line.includes('LOGTO_SESSION_COOKIE_LARGE'))).toEqual([]);
  });

  it('refreshes an expired access token once and keeps the rotated refresh token in the store', async () => {
    // Issued already inside the kit's 30 s refresh margin: the first read refreshes it.
    host.issuer.accessTokenTtl = 20;
    const browser = host.browser();
    await signIn(browser, host.issuer);
    host.issuer.accessTokenTtl = 3600;
    host.issuer.resetRequests();
    const revokedBefore = host.issuer.revokedGrants();
    const reads = await Promise.all(Array.from({ length: 5 }, () => readSession(browser)));
    expect(host.issuer.count('token', 'refresh_token')).toBe(1);
    for (const session of reads) expect(session?.error).toBeUndefined();
    const [grant] = host.issuer.requests.filter((request) => request.endpoint === 'token');
    // Sign-out revokes the refresh token the store holds now: the rotated one, not the one the grant consumed.
    const csrfToken = await csrfTokenOf(browser);
    await browser.post('/api/auth/signout').type('form').send({ csrfToken, json: 'true' }).expect(200);
    const [revocation] = host.issuer.requests.filter((request) => request.endpoint === 'revocation');
    expect(revocation.params.token).toBeDefined();
    expect(revocation.params.token).not.toBe(grant.params.refresh_token);
    expect(host.issuer.revokedGrants()).toBe(revokedBefore + 1);
  });

  it('gets resource tokens with the stored refresh token, revoking no grant', async () => {
    const browser = host.browser();
    const { callbackResponse } = await signIn(browser, host.issuer);
    const cookie = sessionCookieHeader(callbackResponse);
    const req = Object.assign(new IncomingMessage(new Socket()), {
      headers: { cookie },
      cookies: Object.fromEntries(cookie.split('; ').map((pair) => pair.split('=') as [string, string])),
    });
    const ctx: RequestContext = { req, res: new ServerResponse(req) };
    const logto = host.kit as LogtoKit;
    host.issuer.resetRequests();
    const revokedBefore = host.issuer.revokedGrants();
    const token = await logto.getAccessToken(ctx, 'https://api.example.com');
    expect(token.split('.')).toHaveLength(3);
    expect(host.issuer.count('token', 'refresh_token')).toBe(1);
    expect(host.issuer.revokedGrants()).toBe(revokedBefore);
  });

  it('signs out at Logto: revokes the stored refresh token, sends the stored id_token as id_token_hint', async () => {
    const browser = host.browser();
    await signIn(browser, host.issuer);
    const csrfToken = await csrfTokenOf(browser);
    const response = await browser.post('/api/auth/signout').type('form').send({ csrfToken, json: 'true' });
    expect(response.status).toBe(200);
    const url = new URL((response.body as { url: string }).url);
    expect(url.pathname).toBe('/oidc/session/end');
    expect(url.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3);
    expect(host.issuer.count('revocation')).toBe(1);
    expect(await readSession(browser)).toBeNull();
  });

  it('ends the session on a back-channel logout', async () => {
    const browser = host.browser();
    await signIn(browser, host.issuer);
    const logoutToken = await host.issuer.signLogoutToken();
    await browser.post('/api/auth/backchannel-logout').type('form').send({ logout_token: logoutToken }).expect(200);
    expect(await readSession(browser)).toBeNull();
  });
});
