import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';

import { startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { Browser, authorizationUrl, refresh, signIn } from './helpers/oidc-flow';

// No app runs in these tests: the issuer only needs the app's URL to register its redirect URIs.
const APP_URL = 'http://app.example.com';
const ORGANIZATION_SCOPES = 'urn:logto:scope:organizations urn:logto:scope:organization_roles';
/** What `npm run dev` makes the app ask for. */
const APP_SCOPE = `openid offline_access profile email read:books write:books roles ${ORGANIZATION_SCOPES}`;

let issuer: IssuerProcess;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  issuer = await startIssuerProcess(APP_URL);
  jwks = createRemoteJWKSet(new URL(`${issuer.issuer}/jwks`));
});

afterAll(async () => {
  await issuer?.stop();
});

/** Verifies a JWT access token's signature and type, and returns its claims. */
async function verifyAccessToken(token: unknown) {
  expect(decodeProtectedHeader(String(token))).toMatchObject({ alg: 'ES384', typ: 'at+jwt' });
  const { payload } = await jwtVerify(String(token), jwks, { issuer: issuer.issuer, typ: 'at+jwt' });
  return payload;
}

async function refreshTokenOf(username: string, scope = APP_SCOPE, resources = [issuer.apiResource]) {
  const { tokens } = await signIn(issuer, APP_URL, username, { scope, resources });
  if (!tokens.refresh_token) throw new Error('no refresh token issued');
  return tokens.refresh_token;
}

describe('local issuer: API resource tokens', () => {
  it('registers https://api.books.example.com by default', () => {
    expect(issuer.apiResource).toBe('https://api.books.example.com');
  });

  it("issues alice a JWT for the resource with the scopes of her reader and writer roles", async () => {
    const response = await refresh(issuer, await refreshTokenOf('alice'), { resource: issuer.apiResource });

    expect(response.status).toBe(200);
    const claims = await verifyAccessToken(response.body.access_token);
    expect(claims).toEqual({
      iss: issuer.issuer,
      sub: 'alice-demo',
      aud: issuer.apiResource,
      client_id: issuer.clientId,
      scope: 'read:books write:books',
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(response.body.scope).toBe('read:books write:books');
  });

  it('grants only the requested scopes the user holds', async () => {
    const refreshToken = await refreshTokenOf('alice', 'openid offline_access read:books delete:books');
    const response = await refresh(issuer, refreshToken, { resource: issuer.apiResource });

    expect((await verifyAccessToken(response.body.access_token)).scope).toBe('read:books');
  });

  it('issues bob, who has no role, a token with an empty scope', async () => {
    const response = await refresh(issuer, await refreshTokenOf('bob'), { resource: issuer.apiResource });

    expect(response.status).toBe(200);
    const claims = await verifyAccessToken(response.body.access_token);
    expect(claims).toMatchObject({ sub: 'bob-demo', aud: issuer.apiResource, scope: '' });
  });

  it('answers 400 invalid_target to a resource the authorization request did not name', async () => {
    const response = await refresh(issuer, await refreshTokenOf('alice', APP_SCOPE, []), {
      resource: issuer.apiResource,
    });

    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_target');
  });

  it('refuses an unregistered resource at the authorization endpoint with invalid_target', async () => {
    const { url } = authorizationUrl(issuer, APP_URL, { resources: ['https://unknown.example.com'] });
    const result = await new Browser().follow(url, APP_URL);

    expect('appRedirect' in result && result.appRedirect.searchParams.get('error')).toBe('invalid_target');
  });

  it('keeps the opaque userinfo access token when the refresh names no resource', async () => {
    const response = await refresh(issuer, await refreshTokenOf('alice'));

    expect(response.status).toBe(200);
    expect(String(response.body.access_token).split('.')).toHaveLength(1);
  });
});

describe('local issuer: organization tokens', () => {
  it("issues an organization token for one of alice's organizations", async () => {
    const response = await refresh(issuer, await refreshTokenOf('alice'), { organization_id: 'org-acme' });

    expect(response.status).toBe(200);
    const claims = await verifyAccessToken(response.body.access_token);
    // Logto's organization token: the organization is the audience; no organization_id claim.
    expect(claims).toEqual({
      iss: issuer.issuer,
      sub: 'alice-demo',
      aud: 'urn:logto:organization:org-acme',
      client_id: issuer.clientId,
      scope: '',
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
  });

  it('puts the organization permissions of her organization roles in it when they were authorized', async () => {
    const refreshToken = await refreshTokenOf(
      'alice',
      `openid offline_access ${ORGANIZATION_SCOPES} read:members invite:members`,
      ['urn:logto:resource:organizations'],
    );

    const acme = await refresh(issuer, refreshToken, { organization_id: 'org-acme' });
    expect((await verifyAccessToken(acme.body.access_token)).scope).toBe('read:members invite:members');
    const globex = await refresh(issuer, String(acme.body.refresh_token), { organization_id: 'org-globex' });
    expect((await verifyAccessToken(globex.body.access_token)).scope).toBe('read:members');
  });

  it('issues the API resource token for an organization with its organization_id claim', async () => {
    const response = await refresh(issuer, await refreshTokenOf('alice'), {
      resource: issuer.apiResource,
      organization_id: 'org-globex',
    });

    expect(response.status).toBe(200);
    expect(await verifyAccessToken(response.body.access_token)).toMatchObject({
      aud: issuer.apiResource,
      organization_id: 'org-globex',
      scope: 'read:books write:books',
    });
  });

  it('answers 403 access_denied to a user who is not a member', async () => {
    const bob = await refresh(issuer, await refreshTokenOf('bob'), { organization_id: 'org-acme' });
    expect(bob.status).toBe(403);
    expect(bob.body).toMatchObject({ error: 'access_denied', error_description: 'user is not a member of the organization' });

    const alice = await refresh(issuer, await refreshTokenOf('alice'), {
      organization_id: 'org-unknown',
      resource: issuer.apiResource,
    });
    expect(alice.status).toBe(403);
    expect(alice.body.error).toBe('access_denied');
  });

  it('answers 403 insufficient_scope when urn:logto:scope:organizations was not granted', async () => {
    const response = await refresh(issuer, await refreshTokenOf('alice', 'openid offline_access roles'), {
      organization_id: 'org-acme',
    });

    expect(response.status).toBe(403);
    expect(response.body.error).toBe('insufficient_scope');
  });
});

describe('local issuer: roles and organization claims', () => {
  it("puts alice's roles, organizations and organization roles in the ID token", async () => {
    const { tokens } = await signIn(issuer, APP_URL, 'alice', { scope: APP_SCOPE, resources: [issuer.apiResource] });
    const idToken = decodeJwt(String(tokens.id_token));

    expect(idToken.roles).toEqual(['reader', 'writer']);
    expect(idToken.organizations).toEqual(['org-acme', 'org-globex']);
    expect(idToken.organization_roles).toEqual(['org-acme:admin', 'org-globex:member']);
    // Logto 1.37 keeps organization_data out of the ID token by default: userinfo has it.
    expect(idToken).not.toHaveProperty('organization_data');

    const userinfo = await fetch(`${issuer.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await userinfo.json()).toMatchObject({
      roles: ['reader', 'writer'],
      organizations: ['org-acme', 'org-globex'],
      organization_roles: ['org-acme:admin', 'org-globex:member'],
      organization_data: [
        { id: 'org-acme', name: 'Acme', description: expect.any(String) },
        { id: 'org-globex', name: 'Globex', description: expect.any(String) },
      ],
    });
  });

  it('gives bob empty roles and organizations', async () => {
    const { tokens } = await signIn(issuer, APP_URL, 'bob', { scope: APP_SCOPE });

    expect(decodeJwt(String(tokens.id_token))).toMatchObject({ roles: [], organizations: [], organization_roles: [] });
  });

  it('leaves the claims out when their scopes are not requested', async () => {
    const { tokens } = await signIn(issuer, APP_URL, 'alice', { scope: 'openid offline_access profile' });
    const idToken = decodeJwt(String(tokens.id_token));

    for (const claim of ['roles', 'organizations', 'organization_roles', 'organization_data']) {
      expect(idToken).not.toHaveProperty(claim);
    }
  });
});
