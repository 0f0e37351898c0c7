import type { JWTPayload } from 'jose';
import supertest from 'supertest';
import { CLOCK_SKEW_SECONDS } from '@/lib/logto/oidc/time-claims';
import { setupAuthApp } from '../helpers/setup-auth-app';

const BOOKS_API = 'https://api.books.example.com';

describe('GET /api/books', () => {
  const harness = setupAuthApp({ env: { AUTH_LOGTO_RESOURCES: `${BOOKS_API},https://api.other.example.com` } });

  /** Honest claims of a Logto access token for the books API, overridable per test. */
  function claims(overrides: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    const { issuer } = harness;
    return {
      iss: issuer.issuer,
      sub: 'user-1',
      aud: BOOKS_API,
      client_id: issuer.clientId,
      scope: 'read:books write:books',
      jti: 'jti-1',
      iat: now,
      exp: now + 3600,
      ...overrides,
    };
  }

  const get = (authorization?: string, query = '') => {
    const request = supertest(harness.app.url).get(`/api/books${query}`);
    return authorization === undefined ? request : request.set('Authorization', authorization);
  };

  /** Asserts an RFC 6750 refusal that does not echo the token. */
  function expectRefusal(response: supertest.Response, status: 401 | 403, error: string, token?: string) {
    expect(response.status).toBe(status);
    expect(response.headers['www-authenticate']).toMatch(new RegExp(`^Bearer error="${error}"`));
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body).toMatchObject({ error });
    if (token) {
      expect(response.text).not.toContain(token);
      expect(response.headers['www-authenticate']).not.toContain(token);
    }
  }

  it('answers the books to a valid token with read:books', async () => {
    const response = await get(`Bearer ${await harness.issuer.mintAccessToken(claims())}`);

    expect(response.status).toBe(200);
    expect(response.body.books).toHaveLength(3);
    expect(response.body.books[0]).toEqual({ id: 'b1', title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin' });
  });

  it('fetches the issuer keys once for many requests', async () => {
    const { issuer } = harness;
    const token = await issuer.mintAccessToken(claims());
    await get(`Bearer ${token}`).expect(200);
    issuer.resetRequests();

    await Promise.all(Array.from({ length: 5 }, () => get(`Bearer ${token}`).expect(200)));

    expect(issuer.requests).toEqual([]);
  });

  it('answers 401 invalid_token without an Authorization header', async () => {
    expectRefusal(await get(), 401, 'invalid_token');
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no token', 'Bearer'],
    ['not a JWT', 'Bearer not-a-jwt'],
    ['three garbage segments', 'Bearer a.b.c'],
    ['a 6 KB token', `Bearer ${'x'.repeat(3000)}.${'y'.repeat(3000)}.z`],
    ['characters outside b64token', 'Bearer %%%'],
  ])('answers 401 invalid_token to %s, never a 5xx', async (_name, authorization) => {
    expectRefusal(await get(authorization), 401, 'invalid_token');
  });

  it.each<[string, JWTPayload]>([
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 60 }],
    ['a token for another API resource', { aud: 'https://api.other.example.com' }],
    ['a token from another issuer', { iss: 'https://evil.example.com/oidc' }],
    ['a token without exp', { exp: undefined }],
  ])('answers 401 invalid_token to %s', async (_name, overrides) => {
    const token = await harness.issuer.mintAccessToken(claims(overrides));
    expectRefusal(await get(`Bearer ${token}`), 401, 'invalid_token', token);
  });

  // A few seconds either side of each limit: far enough from it that a slow test run cannot cross it.
  const MARGIN_SECONDS = 4;
  const inFuture = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

  it.each<[string, () => JWTPayload]>([
    ['iat a few seconds ahead, inside the allowed skew', () => ({ iat: inFuture(CLOCK_SKEW_SECONDS - MARGIN_SECONDS) })],
    ['nbf a few seconds ahead, inside the allowed skew', () => ({ nbf: inFuture(CLOCK_SKEW_SECONDS - MARGIN_SECONDS) })],
    ['exp a few seconds past, inside the allowed skew', () => ({ iat: inFuture(-3600), exp: inFuture(MARGIN_SECONDS - CLOCK_SKEW_SECONDS) })],
  ])('answers the books to a token with %s (one clock skew for every time claim)', async (_name, overrides) => {
    const response = await get(`Bearer ${await harness.issuer.mintAccessToken(claims(overrides()))}`);

    expect(response.status).toBe(200);
    expect(response.body.books).toHaveLength(3);
  });

  it.each<[string, () => JWTPayload, RegExp]>([
    ['iat 10 minutes ahead', () => ({ iat: inFuture(600) }), /issued in the future.*\(iat\)/],
    ['iat a few seconds past the allowed skew', () => ({ iat: inFuture(CLOCK_SKEW_SECONDS + MARGIN_SECONDS) }), /\(iat\)/],
    ['nbf 10 minutes ahead', () => ({ nbf: inFuture(600) }), /not valid yet \(nbf\)/],
    ['nbf a few seconds past the allowed skew', () => ({ nbf: inFuture(CLOCK_SKEW_SECONDS + MARGIN_SECONDS) }), /\(nbf\)/],
    ['exp a few seconds past the allowed skew', () => ({ iat: inFuture(-3600), exp: inFuture(-CLOCK_SKEW_SECONDS - MARGIN_SECONDS) }), /expired/],
    ['no iat (RFC 9068 requires it)', () => ({ iat: undefined }), /iat/],
  ])('answers 401 invalid_token to a token with %s', async (_name, overrides, description) => {
    const token = await harness.issuer.mintAccessToken(claims(overrides()));
    const response = await get(`Bearer ${token}`);

    expectRefusal(response, 401, 'invalid_token', token);
    expect(response.body.message).toMatch(description);
  });

  it.each([
    ['alg none', { alg: 'none' as const }],
    ['alg HS256 with the client secret', { alg: 'HS256' as const }],
    ['alg RS256', { alg: 'RS256' as const }],
    ['ES384 with a key the issuer does not publish', { foreignKey: true }],
    ['typ JWT (an id_token, not an access token)', { typ: 'JWT' }],
  ])('answers 401 invalid_token to a token signed with %s', async (_name, spoil) => {
    const token = await harness.issuer.mintAccessToken(claims(), spoil);
    expectRefusal(await get(`Bearer ${token}`), 401, 'invalid_token', token);
  });

  it('answers 403 insufficient_scope, naming read:books, to a token without it', async () => {
    const token = await harness.issuer.mintAccessToken(claims({ scope: 'write:books' }));
    const response = await get(`Bearer ${token}`);

    expectRefusal(response, 403, 'insufficient_scope', token);
    expect(response.headers['www-authenticate']).toContain('scope="read:books"');
  });

  it('answers 403 insufficient_scope to a token with an empty scope (a user without roles)', async () => {
    const token = await harness.issuer.mintAccessToken(claims({ scope: '' }));
    expectRefusal(await get(`Bearer ${token}`), 403, 'insufficient_scope', token);
  });

  describe('?org=<id>', () => {
    it("answers the organization's shelf to a token issued for that organization", async () => {
      const token = await harness.issuer.mintAccessToken(claims({ organization_id: 'org-globex' }));
      const response = await get(`Bearer ${token}`, '?org=org-globex');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ organizationId: 'org-globex', books: [{ id: 'g1' }, { id: 'g2' }] });
    });

    it('answers 401 invalid_token to a token of another organization', async () => {
      const token = await harness.issuer.mintAccessToken(claims({ organization_id: 'org-acme' }));
      expectRefusal(await get(`Bearer ${token}`, '?org=org-globex'), 401, 'invalid_token', token);
    });

    it('answers 401 invalid_token to a token issued without an organization', async () => {
      const token = await harness.issuer.mintAccessToken(claims());
      expectRefusal(await get(`Bearer ${token}`, '?org=org-globex'), 401, 'invalid_token', token);
    });

    it('answers 401 invalid_token to an organization token (aud urn:logto:organization:<id>)', async () => {
      const token = await harness.issuer.mintAccessToken(claims({ aud: 'urn:logto:organization:org-globex' }));
      expectRefusal(await get(`Bearer ${token}`, '?org=org-globex'), 401, 'invalid_token', token);
    });

    it('answers 400 to an empty org parameter', async () => {
      const token = await harness.issuer.mintAccessToken(claims({ organization_id: 'org-globex' }));
      const response = await get(`Bearer ${token}`, '?org=');

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_request' });
    });
  });

  it('answers 405 to POST', async () => {
    await supertest(harness.app.url).post('/api/books').expect(405);
  });
});
