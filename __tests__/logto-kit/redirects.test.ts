import { deriveNextAuthSettings } from '../../lib/logto/next-auth/settings';
import type { Browser } from './helpers/browser';
import { useHostApp } from './helpers/host-app';
import { csrfTokenOf, readSession, signIn, startSignIn } from './helpers/sign-in-flow';

/**
 * `callbackUrl` values a browser would follow off the app's origin, or to the app with someone's credentials
 * in the URL; `origin` is the app's (`http://127.0.0.1:<port>`), for the ones built to pass a prefix check.
 */
const HOSTILE_TARGETS: Array<[string, (origin: string) => string]> = [
  ['another origin', () => 'https://evil.example.com/'],
  ['a protocol-relative URL', () => '//evil.example.com'],
  ['a backslash URL', () => '/\\evil.example.com'],
  ['a tab between the slashes', () => '/\t/evil.example.com'],
  ['userinfo before another host', () => 'https://app@evil.example.com'],
  ['the app’s origin as userinfo of another host', (origin) => `${origin}@evil.example.com/`],
  ['userinfo on the app’s own origin', (origin) => `${origin.replace('://', '://user:password@')}/`],
];

// Drop-in: next-auth follows `callbackUrl` after sign-in and sign-out; the kit lets it lead only to the app's
// own origin (lib/logto/next-auth/redirect.ts), in the redirect, the JSON `url` and the callback-url cookie.
describe('your /api/auth/* with a hostile callbackUrl', () => {
  const host = useHostApp();
  const origin = () => new URL(host().url).origin;
  const callbackCookieName = () => deriveNextAuthSettings(host().url, host().route.authOptions).cookies.callbackUrl.name;

  /** Asserts that a browser following `target` (a Location, a JSON url, a cookie value) stays on the app's origin, with no userinfo. */
  function expectOnApp(target: string | undefined) {
    expect(typeof target).toBe('string');
    // Resolved as a browser resolves a Location: `\` as `/`, tabs dropped, `//host` another host.
    const url = new URL(target!, host().url);
    expect(url.origin).toBe(origin());
    expect(`${url.username}${url.password}`).toBe('');
  }

  /** The browser's callback-url cookie, as next-auth reads it back. */
  function callbackCookieOf(browser: Browser): string | undefined {
    const value = browser.cookies.get(callbackCookieName());
    return value === undefined ? undefined : decodeURIComponent(value);
  }

  it.each(HOSTILE_TARGETS)('keeps a sign-in and the sign-outs after it that ask for %s on the app', async (_case, hostile) => {
    const { issuer } = host();
    const browser = host().browser();
    const callbackUrl = hostile(origin());

    const started = await startSignIn(browser, { callbackUrl });
    expect(started.status).toBe(302);
    expectOnApp(callbackCookieOf(browser));
    const callback = await browser.get((await issuer.authorize(String(started.headers.location))).toString());
    expect(callback.status).toBe(302);
    expectOnApp(callback.headers.location);
    expectOnApp(callbackCookieOf(browser));
    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));

    // Signed in: to Logto's end_session, which sends the browser back to the app.
    const csrfToken = await csrfTokenOf(browser);
    const federated = await browser.post('/api/auth/signout').type('form').send({ csrfToken, callbackUrl, json: 'true' });
    expect(federated.status).toBe(200);
    const endSession = new URL((federated.body as { url: string }).url);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${issuer.issuer}/session/end`);
    expectOnApp(endSession.searchParams.get('post_logout_redirect_uri') ?? undefined);
    expectOnApp(callbackCookieOf(browser));
    await expect(readSession(browser)).resolves.toBeNull();

    // Signed out: next-auth's own sign-out, as JSON for signOut() and as a form post.
    const json = await browser.post('/api/auth/signout').type('form').send({ csrfToken, callbackUrl, json: 'true' });
    expect(json.status).toBe(200);
    expectOnApp((json.body as { url?: string }).url);
    const form = await browser.post('/api/auth/signout').type('form').send({ csrfToken, callbackUrl });
    expect(form.status).toBe(302);
    expectOnApp(form.headers.location);
    expectOnApp(callbackCookieOf(browser));
  });

  it('ends a sign-in on the app when the callback-url cookie was changed to another origin during it', async () => {
    const { issuer } = host();
    const browser = host().browser();
    const started = await startSignIn(browser, { callbackUrl: '' });
    const callback = await issuer.authorize(String(started.headers.location));
    // As a script on a sibling subdomain, or a man in the middle on http, could set it.
    browser.cookies.set(callbackCookieName(), encodeURIComponent('https://evil.example.com/'));

    const response = await browser.get(callback.toString());

    expect(response.status).toBe(302);
    expectOnApp(response.headers.location);
    expectOnApp(callbackCookieOf(browser));
    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));
  });

  it('ends a sign-in that asks for a page of the app on that page', async () => {
    const { url, issuer } = host();

    const { callbackResponse } = await signIn(host().browser(), issuer, { callbackUrl: `${url}/protected?tab=1` });

    expect(callbackResponse.status).toBe(302);
    expect(callbackResponse.headers.location).toBe(`${url}/protected?tab=1`);
  });
});
