import type { Session } from 'next-auth';
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
  const { body } = await browser.get('/api/auth/csrf').expect(200);
  const query = new URLSearchParams(params).toString();
  return browser
    .post(`/api/auth/signin/logto${query ? `?${query}` : ''}`)
    .type('form')
    .send({ csrfToken: (body as { csrfToken: string }).csrfToken, callbackUrl });
}

/** A whole sign-in: CSRF → POST sign-in → the issuer's redirect → GET callback. */
export async function signIn(
  browser: Browser,
  issuer: TestIssuer,
  options: { callbackUrl?: string; params?: Record<string, string> } = {},
): Promise<SignInFlow> {
  const started = await startSignIn(browser, options);
  if (started.status !== 302) throw new Error(`Sign-in did not redirect (${started.status}): ${started.text}`);
  const authorizationUrl = new URL(started.headers.location);
  const callbackUrl = await issuer.authorize(authorizationUrl.toString());
  const callbackResponse = await browser.get(callbackUrl.toString());
  return { authorizationUrl, callbackUrl, callbackResponse };
}

/** What `/api/auth/session` returns for this browser: the session, or null when signed out. */
export async function readSession(browser: Browser): Promise<Session | null> {
  const { body } = await browser.get('/api/auth/session').expect(200);
  return body && Object.keys(body).length > 0 ? (body as Session) : null;
}

/** The cookie names a response sets, e.g. `next-auth.session-token`. */
export function setCookieNames(response: Response): string[] {
  const header = response.headers['set-cookie'] as unknown as string[] | string | undefined;
  return ([] as string[]).concat(header ?? []).map((cookie) => cookie.split('=')[0]);
}
