import type { Session } from 'next-auth';
import { Browser } from '../../local-issuer/helpers/oidc-flow';

/** What `/api/auth/session` answered one request, and the `Cookie` header the browser holds afterwards. */
export interface SessionRead {
  status: number;
  /** The session, or null for next-auth's `{}` (signed out). */
  session: Session | null;
  /** The request's cookies with the response's `Set-Cookie` applied (a refreshed session, or none). */
  cookie: string;
}

/**
 * Signs `username` in to the app at `appUrl` over plain HTTP, as a browser would: next-auth's CSRF token,
 * POST /api/auth/signin/logto, the local issuer's sign-in form, its redirect to the callback, the callback.
 * Resolves the `Cookie` header holding the app's session.
 */
export async function signInOverHttp(appUrl: string, username: string): Promise<string> {
  const browser = new Browser();
  const csrf = await browser.get(`${appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const started = await browser.postForm(`${appUrl}/api/auth/signin/logto`, { csrfToken, callbackUrl: appUrl, json: 'true' });
  const { url } = (await started.json()) as { url: string };
  if (!url.includes('/oidc/auth')) throw new Error(`sign-in did not go to the issuer: ${url}`);

  const signInPage = await browser.follow(url, appUrl);
  if ('appRedirect' in signInPage) throw new Error(`expected the issuer's sign-in page, got ${signInPage.appRedirect}`);
  const login = await browser.postForm(`${signInPage.url}/login`, { username, password: `${username}-password` });
  const location = login.headers.get('location');
  if (login.status !== 303 || !location) throw new Error(`the issuer refused the password (${login.status})`);
  const back = await browser.follow(new URL(location, signInPage.url).href, appUrl);
  if (!('appRedirect' in back)) throw new Error(`the issuer did not send the browser back: ${back.status} ${back.html}`);

  const callback = await browser.get(back.appRedirect.href);
  await callback.body?.cancel();
  if (callback.status !== 302 || /error=/.test(callback.headers.get('location') ?? '')) {
    throw new Error(`the callback failed: ${callback.status} → ${callback.headers.get('location')}`);
  }
  return browser.jar.header();
}

/** `GET <instanceUrl>/api/auth/session` with `cookie`, as one request of a browser holding it. */
export async function readSessionAt(instanceUrl: string, cookie: string): Promise<SessionRead> {
  const response = await fetch(`${instanceUrl}/api/auth/session`, { headers: { cookie }, redirect: 'manual' });
  const body = (await response.json()) as Session | Record<string, never>;
  return {
    status: response.status,
    session: Object.keys(body).length > 0 ? (body as Session) : null,
    cookie: applySetCookies(cookie, response),
  };
}

/** What `signOut()` got from one instance: the status, where it sends the browser, and the cookies left. */
export interface SignOutAnswer {
  status: number;
  /** The URL in next-auth's JSON answer: Logto's end_session URL, or the app's home when Logto was not told. */
  url: string | undefined;
  /** The request's cookies with the response's `Set-Cookie` applied. */
  cookie: string;
}

/** Signs out at `instanceUrl` as next-auth/react's `signOut()` does: its CSRF token, then POST /api/auth/signout. */
export async function signOutAt(instanceUrl: string, cookie: string): Promise<SignOutAnswer> {
  const csrf = await fetch(`${instanceUrl}/api/auth/csrf`, { headers: { cookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const withCsrf = applySetCookies(cookie, csrf);
  const response = await fetch(`${instanceUrl}/api/auth/signout`, {
    method: 'POST',
    headers: { cookie: withCsrf, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, json: 'true' }),
    redirect: 'manual',
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  return { status: response.status, url: body.url, cookie: applySetCookies(withCsrf, response) };
}

/** `cookie` (a `Cookie` header) after the browser took the response's `Set-Cookie` headers. */
function applySetCookies(cookie: string, response: Response): string {
  const jar = new Map(cookie.split('; ').filter(Boolean).map((pair) => splitPair(pair)));
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const [name, value] = splitPair(pair);
    const expired = value === '' || attributes.some((attribute) => /^max-age=(0|-\d+)$/i.test(attribute));
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function splitPair(pair: string): [string, string] {
  const separator = pair.indexOf('=');
  return [pair.slice(0, separator), pair.slice(separator + 1)];
}
