import autocannon from 'autocannon';
import { createBrowser } from '../../__tests__/logto-kit/helpers/browser';
import { readSession, signIn } from '../../__tests__/logto-kit/helpers/sign-in-flow';
import type { TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import type { NextServer } from './next-server';
import { median } from './stats';

/** A route the bench loads; a signed-in route names the unauthenticated route of the same kind it is compared with. */
export interface BenchRoute {
  path: string;
  /** What the route does, for the table. */
  label: string;
  signedIn: boolean;
  /** The path of the unauthenticated route this one is compared with. */
  baseline?: string;
  /** The least share of its baseline's requests per second this route must serve (issue 9). */
  minRatio?: number;
}

/** One route's throughput under load. */
export interface RouteThroughput extends BenchRoute {
  requestsPerSecond: number;
  /** Mean response time over all requests, in milliseconds. */
  latencyMeanMs: number;
  requests: number;
  /** The server's CPU time per request (all threads), in milliseconds: less sensitive to a busy machine than requests/s. */
  cpuMsPerRequest?: number;
  /**
   * This route's requests/s divided by its baseline's, per round (the two are loaded one after the other in
   * every round), and the median of those: a burst of load from elsewhere on the machine moves one round, not the result.
   */
  ratioToBaseline?: number;
  roundRatios?: number[];
}

/** Options of {@link measureSessionThroughput}. */
export interface ThroughputOptions {
  /** Seconds of load per route, in one-second rounds that take turns between the routes. */
  durationSeconds: number;
  connections: number;
  /** Seconds of load per route before measuring. */
  warmUpSeconds?: number;
}

/** The baseline of `/protected`: its page and getServerSideProps with a fixed sample session (pages/bench/protected-shape.tsx). */
export const PROTECTED_SHAPE_PATH = '/bench/protected-shape';

/**
 * The session reads and their baselines: `/api/auth/session` against another next-auth API route that reads no
 * session, `/protected` (the session read in getServerSideProps) against the same page with a fixed session and
 * no cookie. `/public`, a smaller server-rendered page, is shown for scale.
 */
export const SESSION_READ_ROUTES: BenchRoute[] = [
  { path: '/api/auth/providers', label: 'next-auth API route, no session read', signedIn: false },
  { path: '/api/auth/session', label: 'session read (JSON)', signedIn: true, baseline: '/api/auth/providers', minRatio: 0.8 },
  { path: '/public', label: 'a smaller getServerSideProps page, no session read', signedIn: false },
  { path: PROTECTED_SHAPE_PATH, label: "`/protected`'s page and props, fixed sample session, no session read", signedIn: false },
  { path: '/protected', label: 'getServerSideProps page with the session', signedIn: true, baseline: PROTECTED_SHAPE_PATH, minRatio: 0.8 },
];

/** The variable `next start` needs for {@link PROTECTED_SHAPE_PATH} to exist. */
export const BENCH_PAGES_ENV = { LOGTO_BENCH_PAGES: '1' } as const;

// The server's JIT keeps speeding up for a while: every route is warmed up first, and the measured
// seconds take turns between the routes so that no route gets the coldest or the warmest server, and
// a route and its baseline see the same drift in the machine's load.
const WARM_UP_SECONDS = 3;

/**
 * The order of the routes in round `round`: forwards in even rounds, backwards in odd ones (ABBA). A route's
 * second pays for the garbage and the JIT work the route before it left behind; turning the order round
 * every other round gives each route each neighbour on both sides, so that carry-over cancels out.
 */
export function roundOrder(count: number, round: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  return round % 2 === 0 ? order : order.reverse();
}

/**
 * Signs in against the running app to get a session cookie, then loads each route with autocannon
 * (the signed-in ones with the cookie) and relates each signed-in route to its baseline.
 */
export async function measureSessionThroughput(
  server: Pick<NextServer, 'url' | 'cpuMs'>,
  issuer: TestIssuer,
  { durationSeconds, connections, warmUpSeconds = WARM_UP_SECONDS }: ThroughputOptions,
  routes: BenchRoute[] = SESSION_READ_ROUTES,
): Promise<RouteThroughput[]> {
  const appUrl = server.url;
  const cookie = await sessionCookie(appUrl, issuer);
  const load = async (route: BenchRoute, duration: number) => {
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

  await assertSameShape(appUrl, cookie, routes);
  for (const route of routes) await load(route, warmUpSeconds);
  const totals = routes.map(() => ({ requests: 0, seconds: 0, latencySum: 0, cpuMs: 0 as number | undefined, perRound: [] as number[] }));
  for (let round = 0; round < Math.ceil(durationSeconds); round += 1) {
    for (const i of roundOrder(routes.length, round)) {
      const route = routes[i];
      const cpuBefore = server.cpuMs();
      const result = await load(route, 1);
      const cpuAfter = server.cpuMs();
      totals[i].cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : totals[i].cpuMs! + cpuAfter - cpuBefore;
      totals[i].perRound.push(result.requests.total / result.duration);
      totals[i].requests += result.requests.total;
      totals[i].seconds += result.duration;
      totals[i].latencySum += result.latency.average * result.requests.total;
    }
  }
  const measured: RouteThroughput[] = routes.map((route, i) => ({
    ...route,
    requestsPerSecond: totals[i].requests / totals[i].seconds,
    latencyMeanMs: totals[i].latencySum / totals[i].requests,
    requests: totals[i].requests,
    cpuMsPerRequest: totals[i].cpuMs === undefined ? undefined : totals[i].cpuMs / totals[i].requests,
  }));
  for (const [i, route] of measured.entries()) {
    if (!route.baseline) continue;
    const baseline = routes.findIndex((other) => other.path === route.baseline);
    if (baseline < 0) throw new Error(`${route.path}: its baseline ${route.baseline} is not measured`);
    route.roundRatios = totals[i].perRound.map((rps, round) => rps / totals[baseline].perRound[round]);
    route.ratioToBaseline = median(route.roundRatios);
  }
  return measured;
}

/**
 * Fails unless `/protected` and its baseline page send HTML of nearly the same length (within 5 %): the
 * baseline must render what `/protected` renders, or the ratio measures the pages rather than the session read.
 */
async function assertSameShape(appUrl: string, cookie: string, routes: BenchRoute[]): Promise<void> {
  const page = routes.find((route) => route.path === '/protected');
  if (page?.baseline !== PROTECTED_SHAPE_PATH) return;
  const [signedIn, baseline] = await Promise.all([
    fetch(`${appUrl}${page.path}`, { headers: { cookie } }),
    fetch(`${appUrl}${PROTECTED_SHAPE_PATH}`),
  ]);
  if (baseline.status === 404) throw new Error(`${PROTECTED_SHAPE_PATH} answered 404: start next with LOGTO_BENCH_PAGES=1`);
  const [a, b] = [(await signedIn.text()).length, (await baseline.text()).length];
  if (Math.abs(a - b) > 0.05 * a) throw new Error(`/protected sends ${a} bytes of HTML but ${PROTECTED_SHAPE_PATH} ${b}: not the same shape`);
}

/**
 * Signs in against the running app like a browser and returns the `Cookie` header that browser then sends:
 * the session cookie, and next-auth's CSRF and callback-URL cookies, which it sets on the first visit.
 */
export async function sessionCookie(appUrl: string, issuer: TestIssuer): Promise<string> {
  const browser = createBrowser(appUrl);
  const { callbackResponse } = await signIn(browser, issuer);
  const session = await readSession(browser);
  if (!session) throw new Error(`Could not sign in to ${appUrl} (callback ${callbackResponse.status})`);
  const protectedPage = await browser.get('/protected');
  if (protectedPage.status !== 200) throw new Error(`/protected answered ${protectedPage.status} with a session`);
  if (![...browser.cookies.keys()].some((name) => name.startsWith('next-auth.session-token'))) {
    throw new Error('The browser holds no session cookie after signing in');
  }
  return [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
