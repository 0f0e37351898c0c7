import type { Session } from 'next-auth';
import { decodeJwt } from 'jose';
import supertest from 'supertest';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { decodeSessionCookie, readSession, sessionCookieHeader, signIn } from '../logto-kit/helpers/sign-in-flow';
import type { TestIssuer } from '../logto-kit/helpers/test-issuer';

const BOOKS_API = 'https://api.books.example.com';
const RESOURCES = [BOOKS_API, 'https://api.orders.example.com', 'https://api.reports.example.com'];
const ORGANIZATIONS = ['org-acme', 'org-globex', 'org-initech'];
const SCOPES = 'read:books write:books roles urn:logto:scope:organizations urn:logto:scope:organization_roles';

/** Alice: reader and writer, member of three organizations (admin in the first). */
function configureTenant(issuer: TestIssuer) {
  issuer.tenant = {
    resources: RESOURCES,
    roles: { reader: ['read:books'], writer: ['write:books'] },
    userRoles: { 'user-1': ['reader', 'writer'] },
    memberships: { 'user-1': { 'org-acme': ['admin'], 'org-globex': ['member'], 'org-initech': ['member'] } },
    organizationRoles: { admin: ['read:books', 'write:books'], member: ['read:books'] },
  };
}

describe('logto.getAccessToken and logto.getOrganizationToken', () => {
  const harness = setupAuthApp({
    perTest: true,
    env: { AUTH_LOGTO_RESOURCES: RESOURCES.join(','), AUTH_LOGTO_SCOPES: SCOPES },
  });

  /** Signs a browser in; returns it and its session cookie. */
  async function signInAlice() {
    const { app, issuer } = harness;
    configureTenant(issuer);
    const browser = app.browser();
    const flow = await signIn(browser, issuer);
    issuer.resetRequests();
    return { browser, flow, cookie: sessionCookieHeader(flow.callbackResponse) };
  }

  /** GET /test/access-token carrying exactly `cookie`, as a browser holding it would. */
  const probe = (cookie: string, query: string) =>
    supertest(harness.app.url).get(`/test/access-token?${query}`).set('Cookie', cookie);

  it('names every resource and the extra scopes in the authorization request, and none in the code grant', async () => {
    const { issuer } = harness;
    configureTenant(issuer);
    const browser = harness.app.browser();
    issuer.resetRequests();
    const { authorizationUrl } = await signIn(browser, issuer);

    expect(authorizationUrl.searchParams.getAll('resource')).toEqual(RESOURCES);
    expect(authorizationUrl.searchParams.get('scope')).toBe(`openid offline_access profile email ${SCOPES}`);
    const [codeGrant] = issuer.requests.filter((request) => request.grantType === 'authorization_code');
    expect(codeGrant.params).not.toHaveProperty('resource');
  });

  it("puts alice's roles and organizations, with her organization roles, in the session", async () => {
    const { browser } = await signInAlice();

    const session = (await readSession(browser)) as Session;

    expect(session.user.roles).toEqual(['reader', 'writer']);
    expect(session.user.organizations).toEqual([
      { id: 'org-acme', roles: ['admin'] },
      { id: 'org-globex', roles: ['member'] },
      { id: 'org-initech', roles: ['member'] },
    ]);
  });

  it('returns a JWT for the resource with the scopes of her roles, and writes the rotated refresh token back', async () => {
    const { issuer } = harness;
    const { cookie } = await signInAlice();
    const before = (await decodeSessionCookie(cookie))!;

    const response = await probe(cookie, `resource=${BOOKS_API}`).expect(200);

    const [token] = (response.body as { tokens: string[] }).tokens;
    expect(decodeJwt(token)).toMatchObject({ aud: BOOKS_API, scope: 'read:books write:books', sub: 'user-1' });
    const grants = issuer.requests.filter((request) => request.grantType === 'refresh_token');
    expect(grants).toHaveLength(1);
    expect(grants[0].params).toMatchObject({ resource: BOOKS_API, refresh_token: before.refreshToken });
    const after = (await decodeSessionCookie(sessionCookieHeader(response)))!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    // The session's own (userinfo) access token is untouched; the resource token is not in the cookie.
    expect(after.accessToken).toBe(before.accessToken);
    expect(JSON.stringify(after)).not.toContain(token);
  });

  it('serves the second call from the cache, without asking the issuer', async () => {
    const { issuer } = harness;
    const { cookie } = await signInAlice();
    const first = await probe(cookie, `resource=${BOOKS_API}`).expect(200);
    issuer.resetRequests();

    const second = await probe(sessionCookieHeader(first), `resource=${BOOKS_API}`).expect(200);

    expect(second.body).toEqual(first.body);
    expect(issuer.requests).toEqual([]);
    expect(second.headers['set-cookie']).toBeUndefined();
  });

  it('asks again once the cached token is within 30 s of expiry', async () => {
    const { issuer } = harness;
    issuer.accessTokenTtl = 20;
    const { cookie } = await signInAlice();
    issuer.accessTokenTtl = 20;
    const first = await probe(cookie, `resource=${BOOKS_API}`).expect(200);
    issuer.resetRequests();

    await probe(sessionCookieHeader(first), `resource=${BOOKS_API}`).expect(200);

    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(issuer.revokedGrants()).toBe(0);
  });

  it('runs one grant per resource for concurrent requests, each from the refresh token the last one rotated: no grant revoked', async () => {
    const { issuer } = harness;
    const { cookie } = await signInAlice();

    // 3 requests × 3 resources, all carrying the same cookie, each asking for all three at once.
    const query = `resource=${encodeURIComponent(RESOURCES.join(','))}`;
    const responses = await Promise.all(Array.from({ length: 3 }, () => probe(cookie, query)));

    for (const response of responses) expect(response.status).toBe(200);
    const grants = issuer.requests.filter((request) => request.grantType === 'refresh_token');
    expect(grants.map((grant) => grant.params.resource).sort()).toEqual([...RESOURCES].sort());
    // Each grant used the refresh token the previous one returned: a chain, never a reuse.
    expect(new Set(grants.map((grant) => grant.params.refresh_token)).size).toBe(3);
    expect(issuer.revokedGrants()).toBe(0);
    const audiences = (responses[0].body as { tokens: string[] }).tokens.map((token) => decodeJwt(token).aud);
    expect(audiences).toEqual(RESOURCES);
  });

  it('shares the chain with the session refresh, and a stale cookie is healed without reusing a rotated token', async () => {
    const { issuer } = harness;
    issuer.accessTokenTtl = 10;
    const { cookie } = await signInAlice();
    issuer.accessTokenTtl = 3600;

    // A resource grant and a due session refresh at once, from the same cookie.
    const [tokenResponse, sessionResponse] = await Promise.all([
      probe(cookie, `resource=${BOOKS_API}`),
      supertest(harness.app.url).get('/api/auth/session').set('Cookie', cookie),
    ]);
    expect(tokenResponse.status).toBe(200);
    expect((sessionResponse.body as Session).error).toBeUndefined();
    expect(issuer.count('token', 'refresh_token')).toBe(2);
    expect(issuer.revokedGrants()).toBe(0);

    // A later request still carrying the original cookie gets the newest refresh token back.
    const straggler = await supertest(harness.app.url).get('/api/auth/session').set('Cookie', cookie).expect(200);
    const healed = (await decodeSessionCookie(sessionCookieHeader(straggler)))!;
    const grants = issuer.requests.filter((request) => request.grantType === 'refresh_token');
    const used = new Set(grants.map((grant) => grant.params.refresh_token));
    expect(used.has(healed.refreshToken!)).toBe(false);
    const next = await probe(sessionCookieHeader(straggler), 'resource=https://api.orders.example.com').expect(200);
    expect(next.body.tokens).toHaveLength(1);
    expect(issuer.revokedGrants()).toBe(0);
  });

  it('returns an organization token, and a resource token for an organization with its organization_id', async () => {
    const { cookie } = await signInAlice();

    const organization = await probe(cookie, 'kind=organization&org=org-acme').expect(200);
    const scoped = await probe(sessionCookieHeader(organization), `resource=${BOOKS_API}&org=org-globex`).expect(200);

    expect(decodeJwt(organization.body.tokens[0])).toMatchObject({ aud: 'urn:logto:organization:org-acme' });
    expect(decodeJwt(scoped.body.tokens[0])).toMatchObject({ aud: BOOKS_API, organization_id: 'org-globex' });
    expect(harness.issuer.revokedGrants()).toBe(0);
  });

  it('keeps the session cookie in one chunk, and unchanged in size, with 3 resource and 3 organization tokens', async () => {
    const { cookie } = await signInAlice();
    let current = cookie;
    for (const query of [
      ...RESOURCES.map((resource) => `resource=${encodeURIComponent(resource)}`),
      ...ORGANIZATIONS.map((id) => `kind=organization&org=${id}`),
    ]) {
      current = sessionCookieHeader(await probe(current, query).expect(200));
    }

    expect(current.split('; ')).toHaveLength(1);
    // Not larger than right after sign-in (the refreshed id_token lacks the nonce, so it can be smaller).
    expect(current.length).toBeLessThanOrEqual(cookie.length + 8);
    expect(current.length).toBeLessThan(4096);
  });

  describe('errors', () => {
    it('refuses a resource not in AUTH_LOGTO_RESOURCES with unknown_resource, without asking the issuer', async () => {
      const { cookie } = await signInAlice();

      const response = await probe(cookie, 'resource=https://api.unknown.example.com').expect(400);

      expect(response.body).toMatchObject({ code: 'unknown_resource', message: expect.stringContaining('AUTH_LOGTO_RESOURCES') });
      expect(harness.issuer.requests).toEqual([]);
    });

    it("reports Logto's invalid_target as unknown_resource when the sign-in did not name the resource", async () => {
      const { issuer } = harness;
      const { cookie } = await signInAlice();
      // As Logto answers when AUTH_LOGTO_RESOURCES gained the resource after this session signed in.
      issuer.tokenFailure = { status: 400, error: 'invalid_target' };

      const response = await probe(cookie, `resource=${encodeURIComponent(RESOURCES[2])}`).expect(400);

      expect(response.body).toMatchObject({ code: 'unknown_resource', message: expect.stringContaining('Logto Console → API resources') });
      expect(issuer.revokedGrants()).toBe(0);
    });

    it('answers access_denied for an organization the user is not a member of', async () => {
      const { cookie } = await signInAlice();

      const response = await probe(cookie, 'kind=organization&org=org-other').expect(400);

      expect(response.body).toMatchObject({ code: 'access_denied', message: expect.stringContaining('not a member') });
      expect(harness.issuer.revokedGrants()).toBe(0);
    });

    it('answers app_access_denied naming the app’s access rules when Logto’s app-level access control refuses the user', async () => {
      const { cookie } = await signInAlice();
      // Logto ≥ 1.41 answers a refused user's grants with this exact description (oidc.access_denied).
      harness.issuer.tokenFailure = { status: 400, error: 'access_denied', description: 'Access denied.' };
      try {
        const response = await probe(cookie, `resource=${BOOKS_API}`).expect(400);
        expect(response.body).toMatchObject({ code: 'app_access_denied', message: expect.stringContaining('may not use this app') });
      } finally {
        harness.issuer.tokenFailure = undefined;
      }
    });

    it('answers not_signed_in without a session', async () => {
      const response = await supertest(harness.app.url).get(`/test/access-token?resource=${BOOKS_API}`).expect(400);

      expect(response.body).toMatchObject({ code: 'not_signed_in' });
    });

    it('answers not_signed_in without a refresh grant once Logto ended the session by back-channel logout', async () => {
      const { app, issuer } = harness;
      const { cookie } = await signInAlice();
      const logoutToken = await issuer.signLogoutToken();
      await supertest(app.url).post('/api/auth/backchannel-logout').type('form').send({ logout_token: logoutToken }).expect(200);

      const response = await probe(cookie, `resource=${BOOKS_API}`).expect(400);

      expect(response.body).toMatchObject({ code: 'not_signed_in' });
      expect(issuer.requests.filter((request) => request.grantType === 'refresh_token')).toHaveLength(0);
    });

    it('answers grant_revoked after sign-out revoked the grant, and marks the session so the user signs in again', async () => {
      const { issuer } = harness;
      const { cookie } = await signInAlice();
      const jwt = (await decodeSessionCookie(cookie))!;
      await fetch(`${issuer.issuer}/token/revocation`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${issuer.clientId}:${issuer.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ token: jwt.refreshToken! }),
      });

      const response = await probe(cookie, `resource=${BOOKS_API}`).expect(400);

      expect(response.body).toMatchObject({ code: 'grant_revoked' });
      expect((await decodeSessionCookie(sessionCookieHeader(response)))?.error).toBe('RefreshAccessTokenError');
    });
  });
});

describe('POST /api/auth/signin/logto without AUTH_LOGTO_RESOURCES and AUTH_LOGTO_SCOPES', () => {
  const harness = setupAuthApp();

  it('redirects with exactly the authorization request it sent before API resources existed', async () => {
    const browser = harness.app.browser();
    const { authorizationUrl } = await signIn(browser, harness.issuer);

    const params = Object.fromEntries(authorizationUrl.searchParams);
    expect(Object.keys(params).sort()).toEqual(
      ['client_id', 'code_challenge', 'code_challenge_method', 'prompt', 'redirect_uri', 'response_type', 'scope', 'state'].sort(),
    );
    expect(params).toMatchObject({ scope: 'openid offline_access profile email', prompt: 'consent', response_type: 'code' });
    expect(authorizationUrl.searchParams.getAll('resource')).toEqual([]);
  });

  it('gives the session empty roles and organizations', async () => {
    const browser = harness.app.browser();
    await signIn(browser, harness.issuer);

    expect((await readSession(browser))?.user).toMatchObject({ roles: [], organizations: [] });
  });
});
