import type { NextApiRequest } from 'next';
import { getToken } from 'next-auth/jwt';
import { pageContext } from '../helpers/page-context';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { sessionCookieHeader, signIn } from '../logto-kit/helpers/sign-in-flow';
import type { TestIssuer } from '../logto-kit/helpers/test-issuer';

type HomePage = typeof import('@/pages/index');

const BOOKS_API = 'https://api.books.example.com';
const SCOPES = 'read:books roles urn:logto:scope:organizations urn:logto:scope:organization_roles';

/** Alice (user-1): a reader, admin of Acme and member of Globex, whose names only userinfo tells. */
function configureTenant(issuer: TestIssuer) {
  issuer.tenant = {
    resources: [BOOKS_API],
    roles: { reader: ['read:books'] },
    userRoles: { 'user-1': ['reader'] },
    memberships: { 'user-1': { 'org-acme': ['admin'], 'org-globex': ['member'] } },
    organizationRoles: { admin: ['read:books'], member: ['read:books'] },
    organizationDetails: {
      'org-acme': { name: 'Acme', description: 'Alice is an admin.' },
      'org-globex': { name: 'Globex' },
    },
  };
}

describe('/ getServerSideProps', () => {
  const harness = setupAuthApp({ perTest: true, env: { AUTH_LOGTO_RESOURCES: BOOKS_API, AUTH_LOGTO_SCOPES: SCOPES } });
  let page: HomePage;

  beforeEach(async () => {
    // Loaded after the app has set the environment, and fresh per test: the kit's name cache starts empty.
    await jest.isolateModulesAsync(async () => {
      page = await import('@/pages/index');
    });
  });

  /** Signs alice in; returns her session cookie, with the issuer's request log emptied. */
  async function signInAlice(): Promise<string> {
    const { app, issuer } = harness;
    configureTenant(issuer);
    const cookie = sessionCookieHeader((await signIn(app.browser(), issuer)).callbackResponse);
    issuer.resetRequests();
    return cookie;
  }

  it('names the organizations in the switcher from userinfo, and asks userinfo once per session for a few minutes', async () => {
    const cookie = await signInAlice();
    const { issuer, app } = harness;

    const first = await page.getServerSideProps(pageContext('/', { cookie }));
    const second = await page.getServerSideProps(pageContext('/?org=org-globex', { cookie }));

    expect(first).toMatchObject({
      props: {
        session: { user: { organizations: [{ id: 'org-acme', roles: ['admin'] }, { id: 'org-globex', roles: ['member'] }] } },
        organizationNames: { 'org-acme': 'Acme', 'org-globex': 'Globex' },
        organizationBooks: null,
      },
    });
    expect(second).toMatchObject({
      props: {
        organizationNames: { 'org-acme': 'Acme', 'org-globex': 'Globex' },
        organizationBooks: { organizationId: 'org-globex', view: { kind: 'books', organizationId: 'org-globex' } },
      },
    });
    expect(issuer.count('userinfo')).toBe(1);
    expect(issuer.requests.find((request) => request.endpoint === 'userinfo')?.authorization).toMatch(/^Bearer ./);
    expect(app.logs).toEqual([]);
  });

  it('keeps the names out of the session cookie', async () => {
    const cookie = await signInAlice();
    const context = pageContext('/', { cookie });

    await page.getServerSideProps(context);

    const token = await getToken({ req: context.req as NextApiRequest, secret: process.env.NEXTAUTH_SECRET });
    expect(JSON.stringify(token)).not.toContain('Globex');
  });

  it('asks userinfo again for another session of the same user', async () => {
    const { app, issuer } = harness;
    const cookie = await signInAlice();
    const other = sessionCookieHeader((await signIn(app.browser(), issuer)).callbackResponse);
    issuer.resetRequests();

    await page.getServerSideProps(pageContext('/', { cookie }));
    await page.getServerSideProps(pageContext('/', { cookie: other }));

    expect(issuer.count('userinfo')).toBe(2);
  });

  it('falls back to ids, with one log line, when userinfo refuses the access token', async () => {
    const { app, issuer } = harness;
    const cookie = await signInAlice();
    // Revoking the grant makes Logto refuse its access token at userinfo (401 invalid_token).
    const context = pageContext('/', { cookie });
    const token = await getToken({ req: context.req as NextApiRequest, secret: process.env.NEXTAUTH_SECRET });
    const revoked = await fetch(`${issuer.issuer}/token/revocation`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${issuer.clientId}:${issuer.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: String(token?.refreshToken) }),
    });
    expect(revoked.status).toBe(200);

    const result = await page.getServerSideProps(context);

    expect(result).toMatchObject({ props: { session: { user: { id: 'user-1' } }, organizationNames: {} } });
    expect(issuer.count('userinfo')).toBe(1);
    expect(app.logs).toEqual([expect.stringMatching(/^\[auth\] warning LOGTO_USERINFO_ERROR .*showing ids instead: invalid_token/)]);
  });

  it('falls back to ids, with one log line, when Logto cannot be reached', async () => {
    const { app, issuer } = harness;
    const cookie = await signInAlice();
    await issuer.pause();
    try {
      const result = await page.getServerSideProps(pageContext('/', { cookie }));
      expect(result).toMatchObject({ props: { session: { user: { id: 'user-1' } }, organizationNames: {} } });
    } finally {
      await issuer.resume();
    }
    expect(app.logs).toEqual([expect.stringContaining('[auth] warning LOGTO_USERINFO_ERROR')]);
  });

  it('asks userinfo nothing for a user without organizations, or a visitor who is signed out', async () => {
    const { app, issuer } = harness;
    configureTenant(issuer);
    issuer.tenant.memberships = {};
    const cookie = sessionCookieHeader((await signIn(app.browser(), issuer)).callbackResponse);
    issuer.resetRequests();

    await expect(page.getServerSideProps(pageContext('/', { cookie }))).resolves.toMatchObject({ props: { organizationNames: {} } });
    await expect(page.getServerSideProps(pageContext('/'))).resolves.toEqual({
      props: { session: null, locale: 'en', organizationBooks: null, organizationNames: {} },
    });
    expect(issuer.count('userinfo')).toBe(0);
  });
});
