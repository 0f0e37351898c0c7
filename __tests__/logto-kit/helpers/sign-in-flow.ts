import type { LogtoSession } from '../../../lib/logto';
import { getToken, type JWT } from 'next-auth/jwt';
import type { Browser } from './browser';
import type { Response } from 'supertest';
import type { TestIssuer } from './test-issuer';

/** The steps of one browser sign-in, for assertions on each hop. */
export interface SignInFlow {
  /** Where next-auth sent the browser: the issuer's authorization endpoint with all parameters. */
  authorizationUrl: URL;
  /** Where the issuer sent the browser back: the app's callback with code, state and iss. */
  callbackUrl: URL;
  /** The app's answer to the callback: a redirect to the callbackUrl, or to the error page. */
  callbackResponse: Response;
}

/** Starts a sign-in the way `signIn('logto', { callbackUrl }, params)` does, up to the authorization URL. */
export async function startSignIn(
  browser: Browser,
  { callbackUrl = '/', params = {} }: { callbackUrl?: string; params?: Record<string, string> } = {},
): Promise<Response> {
  const csrfToken = await csrfTokenOf(browser);
  const query = new URLSearchParams(params).toString();
  return browser.post(`/api/auth/signin/logto${query ? `?${query}` : ''}`).type('form').send({ csrfToken, callbackUrl });
}

/** The CSRF token `GET /api/auth/csrf` gives this browser (it also sets the browser's CSRF cookie). */
export async function csrfTokenOf(browser: Browser): Promise<string> {
  const response = await browser.get('/api/auth/csrf').expect(200);
  return (response.body as { csrfToken: string }).csrfToken;
}

/** A whole sign-in: CSRF → POST sign-in → the issuer's redirect → GET callback. */
export async function signIn(
  browser: Browser,
  issuer: TestIssuer,
  options: { callbackUrl?: string; params?: Record<string, string> } = {},
): Promise<SignInFlow> {
  const started = await startSignIn(browser, options);
  if (started.status !== 302) throw new Error(`Sign-in did not redirect (${started.status}): ${started.text}`);
  const authorizationUrl = new URL(String(started.headers.location));
  const callbackUrl = await issuer.authorize(authorizationUrl.toString());
  const callbackResponse = await browser.get(callbackUrl.toString());
  return { authorizationUrl, callbackUrl, callbackResponse };
}

/** What `/api/auth/session` returns for this browser: the session, or null when signed out. */
export async function readSession(browser: Browser): Promise<LogtoSession | null> {
  const body = (await browser.get('/api/auth/session').expect(200)).body as Partial<LogtoSession> | null;
  return body && Object.keys(body).length > 0 ? (body as LogtoSession) : null;
}

/** The Set-Cookie header values of a response (a supertest one or a raw `http` one), as an array. */
export function setCookiesOf(response: { headers: unknown }): string[] {
  const header = (response.headers as Record<string, string[] | string | undefined>)['set-cookie'];
  return ([] as string[]).concat(header ?? []);
}

/** The cookie names a response sets, e.g. `next-auth.session-token`. */
export function setCookieNames(response: Response): string[] {
  return setCookiesOf(response).map((cookie) => cookie.slice(0, cookie.indexOf('=')));
}

/** The raw value the first Set-Cookie for `name` carries (empty when it clears the cookie), or undefined. */
export function setCookieValue(setCookies: { headers: unknown } | string[], name: string): string | undefined {
  const lines = Array.isArray(setCookies) ? setCookies : setCookiesOf(setCookies);
  return lines.find((line) => line.startsWith(`${name}=`))?.split(';')[0]?.slice(name.length + 1);
}

/**
 * The `Cookie` header carrying the session cookie a response sets: `name=value`, or its chunks (`name.0=…; name.1=…`)
 * in order when next-auth splits a large one. Throws when the response sets no (non-empty) session cookie.
 */
export function sessionCookieHeader(response: Response, name = 'next-auth.session-token'): string {
  const chunkIndex = (key: string) => (key === name ? 0 : Number(key.slice(name.length + 1)));
  const pairs = setCookiesOf(response)
    .map((cookie) => cookie.split(';')[0] ?? '')
    .map((pair) => ({ pair, key: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1) }))
    .filter(({ key, value }) => value !== '' && (key === name || (key.startsWith(`${name}.`) && /^\d+$/.test(key.slice(name.length + 1)))))
    .sort((a, b) => chunkIndex(a.key) - chunkIndex(b.key));
  if (pairs.length === 0) throw new Error(`The response sets no ${name} cookie (${response.status})`);
  return pairs.map(({ pair }) => pair).join('; ');
}

/**
 * The session token inside a `Cookie` header (e.g. from `sessionCookieHeader`), decrypted as next-auth's `getToken`
 * does; `cookieName` defaults to getToken's own (`__Secure-` prefixed when NEXTAUTH_URL is https).
 */
export async function decodeSessionCookie(
  cookieHeader: string,
  { secret = process.env.NEXTAUTH_SECRET, cookieName }: { secret?: string; cookieName?: string } = {},
): Promise<JWT | null> {
  const cookies = Object.fromEntries(
    cookieHeader.split('; ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const req = { headers: { cookie: cookieHeader }, cookies } as unknown as Parameters<typeof getToken>[0]['req'];
  return getToken({ req, secret, cookieName });
}

/** The session token in a browser's cookies (its session cookie, chunked or not), decrypted as {@link decodeSessionCookie} does. */
export function decodeBrowserSession(
  browser: Browser,
  options: { secret?: string; cookieName?: string } = {},
): Promise<JWT | null> {
  const header = Array.from(browser.cookies).map(([name, value]) => `${name}=${value}`).join('; ');
  return decodeSessionCookie(header, options);
}
