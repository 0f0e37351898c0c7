import { performance } from 'node:perf_hooks';
import supertest from 'supertest';
import type { TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';

/** The issuer endpoints a relying party calls itself during a sign-in (the authorization request is the browser's). */
export const COUNTED_ENDPOINTS = ['discovery', 'jwks', 'token', 'userinfo'] as const;

/** One of {@link COUNTED_ENDPOINTS}. */
export type CountedEndpoint = (typeof COUNTED_ENDPOINTS)[number];

/** Requests the app made to the issuer during one step, per endpoint. */
export type RequestCounts = Record<CountedEndpoint, number>;

/** What one sign-in cost: the app's issuer requests and its response time, for the start and for the callback. */
export interface SignInSample {
  startRequests: RequestCounts;
  callbackRequests: RequestCounts;
  /** Time to answer `POST /api/auth/signin/logto`, in milliseconds. */
  startMs: number;
  /** Time to answer `GET /api/auth/callback/logto`, in milliseconds. */
  callbackMs: number;
}

/**
 * Runs one browser sign-in against `appUrl` (CSRF → POST sign-in → the issuer's redirect → callback) and
 * records what each of the app's two steps cost. `headers` go with every request to the app.
 */
export async function sampleSignIn(
  appUrl: string,
  issuer: TestIssuer,
  headers: Record<string, string> = {},
): Promise<SignInSample> {
  const browser = supertest.agent(appUrl).set(headers);

  issuer.resetRequests();
  const { body } = await browser.get('/api/auth/csrf').expect(200);
  let startedAt = performance.now();
  const started = await browser
    .post('/api/auth/signin/logto')
    .type('form')
    .send({ csrfToken: (body as { csrfToken: string }).csrfToken, callbackUrl: `${appUrl}/` });
  const startMs = performance.now() - startedAt;
  const location = String(started.headers.location ?? '');
  if (started.status !== 302 || !location.startsWith(`${issuer.issuer}/auth?`)) {
    throw new Error(`The sign-in start did not redirect to the issuer (${started.status} ${location})`);
  }
  const startRequests = countRequests(issuer);

  const callbackUrl = await issuer.authorize(location);
  issuer.resetRequests();
  startedAt = performance.now();
  const callback = await browser.get(`${callbackUrl.pathname}${callbackUrl.search}`);
  const callbackMs = performance.now() - startedAt;
  const cookies = ([] as string[]).concat(callback.headers['set-cookie'] ?? []);
  if (callback.headers.location !== `${appUrl}/` || !cookies.some((c) => c.startsWith('next-auth.session-token='))) {
    throw new Error(`The callback did not sign the user in (${callback.status} ${callback.headers.location})`);
  }
  return { startRequests, callbackRequests: countRequests(issuer), startMs, callbackMs };
}

/**
 * Starts a sign-in with `browser` (CSRF → POST sign-in → the issuer's authorization) and returns the callback URL
 * the issuer sends the browser back to, for the callback to be timed or profiled on its own.
 */
export async function reachCallback(browser: ReturnType<typeof supertest.agent>, appUrl: string, issuer: TestIssuer): Promise<URL> {
  const { body } = await browser.get('/api/auth/csrf');
  const started = await browser
    .post('/api/auth/signin/logto')
    .type('form')
    .send({ csrfToken: (body as { csrfToken: string }).csrfToken, callbackUrl: `${appUrl}/` });
  return issuer.authorize(String(started.headers.location));
}

function countRequests(issuer: TestIssuer): RequestCounts {
  return Object.fromEntries(COUNTED_ENDPOINTS.map((endpoint) => [endpoint, issuer.count(endpoint)])) as RequestCounts;
}
