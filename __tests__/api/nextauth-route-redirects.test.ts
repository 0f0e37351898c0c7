import { setupAuthApp } from '../helpers/setup-auth-app';
import { csrfTokenOf, readSession, signIn, startSignIn } from '../logto-kit/helpers/sign-in-flow';

// Regression tests for next-auth v4's callbackUrl handling, which the kit now does itself (lib/logto/next-auth/redirect.ts).
describe('/api/auth/* with a hostile callbackUrl', () => {
  const harness = setupAuthApp();

  describe('as a query parameter', () => {
    // next-auth v4 answered these with 500 "There is a problem with the server configuration" (core/lib/assert.ts).
    it.each([
      ['javascript:alert(1)', 'javascript:alert(1)'],
      ['http://[::1', 'http://[::1'],
      ['data:text/html,x', 'data:text/html,x'],
      // Node answers 431 to a request line over 16 KB; the 100 KB case is in the form body below.
      ['a 10 KB value', `/${'x'.repeat(10 * 1024)}`],
    ])('serves GET /api/auth/session?callbackUrl=%s with 200 and no session', async (_case, callbackUrl) => {
        const { app } = harness;
        const response = await app.browser().get('/api/auth/session').query({ callbackUrl });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({});
        expect(app.logs).toEqual([expect.stringContaining('[auth] warning LOGTO_REDIRECT_REFUSED {"source":"query"')]);
    });

    it('sends GET /api/auth/signin?callbackUrl=//evil.example.com to the sign-in page with the home page as target', async () => {
      const { app } = harness;
      const response = await app.browser().get('/api/auth/signin').query({ callbackUrl: '//evil.example.com' });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe(`/auth/sign-in?callbackUrl=${encodeURIComponent(`${app.url}/`)}`);
    });
  });

  describe('in the sign-in form body', () => {
    it.each([
      ['another origin', 'https://evil.example.com/'],
      ['a protocol-relative URL', '//evil.example.com'],
      ['a backslash URL', '/\\evil.example.com'],
      ['userinfo', 'http://app@evil.example.com/'],
      ['javascript:', 'javascript:alert(1)'],
      ['a tab inside the scheme-relative slashes', '/\t/evil.example.com'],
      ['a 100 KB value', `/${'x'.repeat(100 * 1024)}`],
    ])('ends a sign-in that asked for %s on the home page', async (_case, callbackUrl) => {
      const { app, issuer } = harness;
      const browser = app.browser();
      const { callbackResponse } = await signIn(browser, issuer, { callbackUrl });
      expect(callbackResponse.status).toBe(302);
      expect(callbackResponse.headers.location).toBe(`${app.url}/`);
      expect((await readSession(browser))?.user.id).toBe('user-1');
    });

    it('ends a sign-in that asked for a page of the app on that page', async () => {
      const { app, issuer } = harness;
      const { callbackResponse } = await signIn(app.browser(), issuer, { callbackUrl: '/protected?tab=1' });
      expect(callbackResponse.headers.location).toBe(`${app.url}/protected?tab=1`);
      expect(app.logs).toEqual([]);
    });

    // next-auth v4's default redirect callback threw `url.startsWith is not a function`: a 500.
    it('signs in with a repeated callbackUrl field and lands on the home page', async () => {
      const { app, issuer } = harness;
      const browser = app.browser();
      const csrfToken = await csrfTokenOf(browser);
      const started = await browser
        .post('/api/auth/signin/logto')
        .type('form')
        .send(`csrfToken=${csrfToken}&callbackUrl=%2Fa&callbackUrl=%2Fb`);
      expect(started.status).toBe(302);
      const callback = await issuer.authorize(started.headers.location);
      const response = await browser.get(callback.pathname + callback.search);
      expect(response.headers.location).toBe(`${app.url}/`);
      expect((await readSession(browser))?.user.id).toBe('user-1');
    });

    it('answers a JSON sign-in with an object as callbackUrl with the authorization URL', async () => {
      const { app, issuer } = harness;
      const browser = app.browser();
      const csrfToken = await csrfTokenOf(browser);
      const started = await browser
        .post('/api/auth/signin/logto')
        .send({ csrfToken, callbackUrl: { href: '//evil.example.com' }, json: 'true' });
      expect(started.status).toBe(200);
      expect((started.body as { url: string }).url.startsWith(`${issuer.issuer}/auth?`)).toBe(true);
    });
  });

  describe('in the next-auth.callback-url cookie', () => {
    // next-auth v4 validated this cookie on every request and answered 500 to a malformed one.
    it.each(['http://[::1', 'javascript:alert(1)', 'https://evil.example.com/'])(
      'serves /session and /csrf with cookie %s and replaces the cookie with the home page',
      async (value) => {
        const { app } = harness;
        const cookie = `next-auth.callback-url=${encodeURIComponent(value)}`;
        const session = await app.browser().get('/api/auth/session').set('Cookie', cookie);
        expect(session.status).toBe(200);
        expect(session.body).toEqual({});
        const csrf = await app.browser().get('/api/auth/csrf').set('Cookie', cookie);
        expect(csrf.status).toBe(200);
        const setCookies = ([] as string[]).concat((csrf.headers['set-cookie'] as unknown as string[]) ?? []);
        expect(setCookies).toContainEqual(expect.stringMatching(`^next-auth.callback-url=${encodeURIComponent(app.url)};`));
      },
    );

    it('ends a sign-in started without callbackUrl on the home page, not at the cookie', async () => {
      const { app, issuer } = harness;
      const browser = app.browser();
      const started = await startSignIn(browser, { callbackUrl: '' });
      const callback = await issuer.authorize(started.headers.location);
      // The browser's callback-url cookie, overwritten as a subdomain or a script could.
      browser.cookies.set('next-auth.callback-url', encodeURIComponent('https://evil.example.com/'));
      const response = await browser.get(callback.pathname + callback.search);
      expect(response.status).toBe(302);
      // next-auth's default target, NEXTAUTH_URL's origin, once the cookie is dropped.
      expect(response.headers.location).toBe(app.url);
    });
  });

  it('sends the signed-out browser of POST /api/auth/signout with another origin as callbackUrl home', async () => {
    const { app } = harness;
    const browser = app.browser();
    const csrfToken = await csrfTokenOf(browser);
    const response = await browser
      .post('/api/auth/signout')
      .type('form')
      .send({ csrfToken, callbackUrl: 'https://evil.example.com/' });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${app.url}/`);
  });
});
