import autocannon from 'autocannon';
import { createBrowser } from '../../__tests__/logto-kit/helpers/browser';
import { readSession, signIn } from '../../__tests__/logto-kit/helpers/sign-in-flow';
import type { TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';

/** One route's throughput under load. */
export interface RouteThroughput {
  path: string;
  /** What the route does, for the table. */
  label: string;
  signedIn: boolean;
  requestsPerSecond: number;
  /** Mean response time over all requests, in milliseconds. */
  latencyMeanMs: number;
  requests: number;
}

/** Options of {@link measureSessionThroughput}. */
export interface ThroughputOptions {
  /** Seconds of load per route, in one-second rounds that take turns between the routes. */
  durationSeconds: number;
  connections: number;
}

/** The unauthenticated baseline the session reads are compared with. */
export const BASELINE_PATH = '/api/auth/providers';

// The server's JIT keeps speeding up for a while: every route is warmed up first, and the measured
// seconds take turns between the routes so that no route gets the coldest or the warmest server.
const WARM_UP_SECONDS = 2;

/**
 * Signs in against the running app to get a session cookie, then loads the unauthenticated baseline,
 * `/api/auth/session` and `/protected` (getServerSideProps) with autocannon.
 */
export async function measureSessionThroughput(
  appUrl: string,
  issuer: TestIssuer,
  { durationSeconds, connections }: ThroughputOptions,
): Promise<RouteThroughput[]> {
  const cookie = await sessionCookie(appUrl, issuer);
  const routes = [
    { path: BASELINE_PATH, label: 'unauthenticated baseline', signedIn: false },
    { path: '/api/auth/session', label: 'session read (JSON)', signedIn: true },
    { path: '/protected', label: 'getServerSideProps page', signedIn: true },
  ];
  const load = async (route: (typeof routes)[number], duration: number) => {
    const result = await autocannon({
      url: `${appUrl}${route.path}`,
      connections,
      duration,
      headers: route.signedIn ? { cookie } : {},
    });
    if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
      throw new Error(`${route.path}: ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts`);
    }
    return result;
  };

  for (const route of routes) await load(route, WARM_UP_SECONDS);
  const totals = routes.map(() => ({ requests: 0, seconds: 0, latencySum: 0 }));
  for (let round = 0; round < Math.ceil(durationSeconds); round += 1) {
    for (const [i, route] of routes.entries()) {
      const result = await load(route, 1);
      totals[i].requests += result.requests.total;
      totals[i].seconds += result.duration;
      totals[i].latencySum += result.latency.average * result.requests.total;
    }
  }
  return routes.map((route, i) => ({
    ...route,
    requestsPerSecond: totals[i].requests / totals[i].seconds,
    latencyMeanMs: totals[i].latencySum / totals[i].requests,
    requests: totals[i].requests,
  }));
}

/** Signs in against the running app and returns the `Cookie` header that carries its session. */
export async function sessionCookie(appUrl: string, issuer: TestIssuer): Promise<string> {
  const browser = createBrowser(appUrl);
  const { callbackResponse } = await signIn(browser, issuer);
  const session = await readSession(browser);
  if (!session) throw new Error(`Could not sign in to ${appUrl} (callback ${callbackResponse.status})`);
  const cookies = ([] as string[]).concat(callbackResponse.headers['set-cookie'] ?? []);
  const pairs = cookies.map((cookie) => cookie.split(';')[0]).filter((pair) => pair.startsWith('next-auth.session-token'));
  const protectedPage = await browser.get('/protected');
  if (protectedPage.status !== 200) throw new Error(`/protected answered ${protectedPage.status} with a session`);
  return pairs.join('; ');
}
