import supertest from 'supertest';
import { setupAuthApp } from '../helpers/setup-auth-app';
import type { Browser } from '../logto-kit/helpers/browser';
import { csrfTokenOf, signIn } from '../logto-kit/helpers/sign-in-flow';
import type { TestIssuer } from '../logto-kit/helpers/test-issuer';

const BOOKS_API = 'https://api.books.example.com';

/** The user may read books, so a live session gets a token for BOOKS_API. */
function configureTenant(issuer: TestIssuer) {
  issuer.tenant = {
    resources: [BOOKS_API],
    roles: { reader: ['read:books'] },
    userRoles: { 'user-1': ['reader'] },
    memberships: {},
    organizationRoles: {},
  };
}

// A copy of the session cookie, taken before the session ended: another tab's request, or a stolen cookie.
describe('a copy of the session cookie, once the session ended', () => {
  const harness = setupAuthApp({ env: { AUTH_LOGTO_RESOURCES: BOOKS_API } });

  /** The `Cookie` header the browser sends now. */
  const cookieHeaderOf = (browser: Browser) =>
    Array.from(browser.cookies).map(([name, value]) => `${name}=${value}`).join('; ');

  /** A request to the app carrying exactly `cookie`. */
  const getWith = (cookie: string, path: string) => supertest(harness.app.url).get(path).set('Cookie', cookie);

  const endings: [string, (browser: Browser) => Promise<void>][] = [
    [
      'signOut()',
      async (browser) => {
        const csrfToken = await csrfTokenOf(browser);
        await browser.post('/api/auth/signout').type('form').send({ csrfToken, json: 'true' }).expect(200);
      },
    ],
    [
      'a back-channel logout',
      async () => {
        const logoutToken = await harness.issuer.signLogoutToken();
        await supertest(harness.app.url).post('/api/auth/backchannel-logout').type('form').send({ logout_token: logoutToken }).expect(200);
      },
    ],
  ];

  describe.each(endings)('after %s', (_name, endSession) => {
    /** A signed-in browser's cookie copy, checked alive (it gets an access token), taken before the session ends. */
    async function copyThenEnd(): Promise<string> {
      const { app, issuer } = harness;
      configureTenant(issuer);
      const browser = app.browser();
      await signIn(browser, issuer);
      const copy = cookieHeaderOf(browser);
      await getWith(copy, `/test/access-token?resource=${encodeURIComponent(BOOKS_API)}`).expect(200);
      await endSession(browser);
      issuer.resetRequests();
      return copy;
    }

    it('reads as signed out at /api/auth/session ({}), without a refresh', async () => {
      const copy = await copyThenEnd();

      const response = await getWith(copy, '/api/auth/session').expect(200);

      expect(response.body).toEqual({});
      expect(harness.issuer.count('token')).toBe(0);
    });

    it('reads as signed out in getLogtoSession (null): /api/me answers 401', async () => {
      const copy = await copyThenEnd();

      await getWith(copy, '/api/me').expect(401);
    });

    it('gets no access token from logto.getAccessToken (not_signed_in), without a refresh grant', async () => {
      const copy = await copyThenEnd();

      const response = await getWith(copy, `/test/access-token?resource=${encodeURIComponent(BOOKS_API)}`).expect(400);

      expect(response.body).toMatchObject({ code: 'not_signed_in' });
      expect(harness.issuer.count('token')).toBe(0);
    });
  });
});
