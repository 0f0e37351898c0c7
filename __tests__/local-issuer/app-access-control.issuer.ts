import { LOGTO_VERSION, startIssuerProcess, type IssuerProcess } from './helpers/issuer-process';
import { Browser, authorizationUrl, refresh, signIn } from './helpers/oidc-flow';

const APP_URL = 'http://app.example.com';

/** POST /admin/app-access: lets `sub` use the app, or not, as an admin editing its access rules does. */
async function setAppAccess(issuer: IssuerProcess, sub: string, allowed: boolean) {
  const response = await fetch(`${issuer.url}/admin/app-access?sub=${sub}&allowed=${allowed}`, { method: 'POST' });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Submits the sign-in form for `username` and follows the issuer's redirects until a page or the app answers. */
async function signInAt(issuer: IssuerProcess, username: string) {
  const browser = new Browser();
  const { url } = authorizationUrl(issuer, APP_URL);
  const signInPage = await browser.follow(url, APP_URL);
  if ('appRedirect' in signInPage) throw new Error(`expected the sign-in page, got a redirect to ${signInPage.appRedirect}`);
  const login = await browser.postForm(`${signInPage.url}/login`, { username, password: `${username}-password` });
  expect(login.status).toBe(303);
  return browser.follow(new URL(login.headers.get('location')!, signInPage.url).href, APP_URL);
}

if (LOGTO_VERSION === '1.42') {
  // Logto 1.41 added app-level access control; these are the three places a refused user meets it.
  describe('local issuer as Logto 1.42: app-level access control', () => {
    let issuer: IssuerProcess;

    beforeAll(async () => {
      issuer = await startIssuerProcess(APP_URL, { LOCAL_ISSUER_ACCESS_DENIED_USERS: 'bob-demo' });
    });

    afterAll(async () => {
      await issuer?.stop();
    });

    it("shows Logto's Access denied page after sign-in to a user the app refuses, and never returns to the app", async () => {
      const landed = await signInAt(issuer, 'bob');

      if ('appRedirect' in landed) throw new Error(`the issuer sent bob back to the app: ${landed.appRedirect}`);
      expect(landed.status).toBe(403);
      expect(landed.html).toContain('<h1>Access denied</h1>');
      expect(landed.html).toContain('You do not have permission to access this application.');
      // Its only way on is signing out of Logto, through end_session for this app.
      const signOut = /<a class="button primary" href="([^"]+)">Sign out<\/a>/.exec(landed.html)?.[1];
      expect(signOut?.replaceAll('&amp;', '&')).toBe(`${issuer.issuer}/session/end?client_id=${issuer.clientId}`);
    });

    it('lets the users the app allows sign in', async () => {
      const { tokens } = await signIn(issuer, APP_URL, 'alice');

      expect(tokens.access_token).toEqual(expect.any(String));
    });

    it('answers the refresh grant of a user the app no longer allows with 400 access_denied "Access denied."', async () => {
      const { tokens } = await signIn(issuer, APP_URL, 'alice');
      expect(await setAppAccess(issuer, 'alice-demo', false)).toEqual({ status: 200, body: { sub: 'alice-demo', allowed: false } });

      try {
        const refused = await refresh(issuer, tokens.refresh_token!);
        expect(refused).toEqual({ status: 400, body: { error: 'access_denied', error_description: 'Access denied.' } });
      } finally {
        await setAppAccess(issuer, 'alice-demo', true);
      }
      // Allowed again, the same refresh token works: the refusal revoked nothing.
      expect((await refresh(issuer, tokens.refresh_token!)).status).toBe(200);
    });

    it("redirects a returning user the app no longer allows to the app's callback with error=access_denied", async () => {
      const { browser } = await signIn(issuer, APP_URL, 'alice');
      await setAppAccess(issuer, 'alice-demo', false);

      try {
        // Her Logto session is still alive, so the authorization request finds her grant and refuses it.
        const { url } = authorizationUrl(issuer, APP_URL);
        const landed = await browser.follow(url, APP_URL);

        if (!('appRedirect' in landed)) throw new Error(`expected a redirect to the app, got ${landed.status}: ${landed.html}`);
        const { origin, pathname, searchParams } = landed.appRedirect;
        expect(`${origin}${pathname}`).toBe(`${APP_URL}/api/auth/callback/logto`);
        expect(Object.fromEntries(searchParams)).toEqual({
          error: 'access_denied',
          error_description: 'Access denied.',
          state: new URL(url).searchParams.get('state'),
          iss: issuer.issuer,
        });
      } finally {
        await setAppAccess(issuer, 'alice-demo', true);
      }
    });

    it('answers the admin endpoint with clear errors', async () => {
      const unknown = await setAppAccess(issuer, 'nobody', false);
      const badFlag = await fetch(`${issuer.url}/admin/app-access?sub=bob-demo&allowed=maybe`, { method: 'POST' });

      expect(unknown).toEqual({ status: 404, body: { error: 'user_not_found', error_description: 'no user has sub "nobody"' } });
      expect(badFlag.status).toBe(400);
    });

    it('refuses to start when LOCAL_ISSUER_ACCESS_DENIED_USERS names no user', async () => {
      await expect(startIssuerProcess(APP_URL, { LOCAL_ISSUER_ACCESS_DENIED_USERS: 'bob-demo,nobody' })).rejects.toThrow(
        /accessDeniedUsers names no user: nobody/,
      );
    });
  });
} else {
  describe('local issuer as Logto 1.37: no app-level access control (Logto added it in 1.41)', () => {
    it('refuses to start with LOCAL_ISSUER_ACCESS_DENIED_USERS, naming the version it needs', async () => {
      await expect(startIssuerProcess(APP_URL, { LOCAL_ISSUER_ACCESS_DENIED_USERS: 'bob-demo' })).rejects.toThrow(
        'LOCAL_ISSUER_ACCESS_DENIED_USERS needs app-level access control, which Logto added in 1.41',
      );
    });

    it('answers POST /admin/app-access with 409 and lets every user in', async () => {
      const issuer = await startIssuerProcess(APP_URL);
      try {
        const change = await setAppAccess(issuer, 'bob-demo', false);
        const { tokens } = await signIn(issuer, APP_URL, 'bob');

        expect(change.status).toBe(409);
        expect(change.body.error).toBe('app_access_control_unavailable');
        expect((await refresh(issuer, tokens.refresh_token!)).status).toBe(200);
      } finally {
        await issuer.stop();
      }
    });
  });
}
