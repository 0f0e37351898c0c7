import autocannon from 'autocannon';
import { startRedisServer, type RedisServer } from '../../__tests__/helpers/redis-server';
import { createBrowser } from '../../__tests__/logto-kit/helpers/browser';
import { readSession, signIn } from '../../__tests__/logto-kit/helpers/sign-in-flow';
import type { TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { instanceEnv } from '../../__tests__/scale/helpers/app-instances';
import { findFreePort } from '../free-port';
import { startNextServer, startNextServers, type NextServer } from './next-server';
import { roundOrder } from './session-throughput';
import { median } from './stats';

/** Issue 9's bar: session reads with Redis keep at least this share of the in-process throughput. */
export const MIN_REDIS_THROUGHPUT_RATIO = 0.9;

/** What 20 concurrent reads of expired sessions, spread across two instances, cost at the issuer. */
export interface ExpiredSessionReads {
  sessions: number;
  readsPerSession: number;
  /** Refresh grants at the issuer per expired session (1 is right; more means a refresh token was reused). */
  refreshGrantsPerSession: number;
  /** Grants the issuer revoked (a reused rotated refresh token signs the user out). */
  revokedGrants: number;
  /** Reads that returned a live session, out of `sessions × readsPerSession`. */
  goodReads: number;
}

/** The several-instances figures of `npm run bench`. */
export interface SeveralInstancesReport {
  withRedis: ExpiredSessionReads;
  withoutRedis: ExpiredSessionReads;
  /**
   * `/api/auth/session` requests per second on one instance, keeping refreshes and revocations in memory or in
   * Redis; `ratio` is the median of the per-round ratios (`roundRatios`).
   */
  sessionReadsPerSecond: { inProcess: number; withRedis: number; ratio: number; roundRatios: number[] };
}

/** Options of {@link measureSeveralInstances}. */
export interface SeveralInstancesOptions {
  /** Seconds of load per configuration for the throughput figure. */
  durationSeconds: number;
  connections: number;
  /** Expired sessions read concurrently, one after the other (default 5). */
  sessions?: number;
}

const READS_PER_SESSION = 20;
const WARM_UP_SECONDS = 2;

/**
 * Starts a redis-server and four `next start` instances of the built app (two with REDIS_URL, two without, all
 * with one NEXTAUTH_URL as behind a load balancer), then measures refresh grants per expired session under
 * concurrency across two instances, and session-read throughput with Redis against in-process.
 */
export async function measureSeveralInstances(
  issuer: TestIssuer,
  env: NodeJS.ProcessEnv,
  { durationSeconds, connections, sessions = 5 }: SeveralInstancesOptions,
): Promise<SeveralInstancesReport> {
  let redis: RedisServer | undefined;
  const instances: NextServer[] = [];
  try {
    redis = await startRedisServer();
    const ports = await Promise.all([findFreePort(), findFreePort(), findFreePort(), findFreePort()]);
    const appEnv = stringsOf(env);
    const nextAuthUrl = `http://127.0.0.1:${ports[0]}`;
    // startNextServers stops the instances it started when another fails; `finally` stops the rest.
    instances.push(
      ...(await startNextServers(
        ports.map((port, index) => () =>
          startNextServer(instanceEnv(index < 2 ? { ...appEnv, REDIS_URL: redis!.url } : appEnv), { port, nextAuthUrl }),
        ),
      )),
    );
    const [redisA, redisB, memoryA, memoryB] = instances;
    const signInAt = redisA.url;

    const ttl = issuer.accessTokenTtl;
    // Access tokens inside the kit's 30 s refresh margin: every first read of a session refreshes it.
    issuer.accessTokenTtl = 20;
    let withRedis: ExpiredSessionReads;
    let withoutRedis: ExpiredSessionReads;
    try {
      withRedis = await readExpiredSessions(issuer, signInAt, [redisA, redisB], sessions);
      withoutRedis = await readExpiredSessions(issuer, signInAt, [memoryA, memoryB], sessions);
    } finally {
      issuer.accessTokenTtl = ttl;
    }

    const cookie = await sessionCookie(signInAt, issuer);
    const load = (instance: NextServer, duration: number) =>
      loadSessionReads(`${instance.url}/api/auth/session`, cookie, connections, duration);
    await load(redisA, WARM_UP_SECONDS);
    await load(memoryA, WARM_UP_SECONDS);
    // One-second rounds taking turns (in ABBA order), so that neither configuration gets the coldest or
    // warmest machine, nor always follows the other; the ratio is the median of the rounds' ratios, as for
    // the single-instance routes, so that a burst of load from elsewhere moves one round, not the result.
    const configurations = [['inProcess', memoryA], ['withRedis', redisA]] as const;
    const totals = { inProcess: { requests: 0, seconds: 0, perRound: [] as number[] }, withRedis: { requests: 0, seconds: 0, perRound: [] as number[] } };
    for (let round = 0; round < Math.ceil(durationSeconds); round += 1) {
      for (const i of roundOrder(configurations.length, round)) {
        const [name, instance] = configurations[i];
        const result = await load(instance, 1);
        totals[name].requests += result.requests;
        totals[name].seconds += result.seconds;
        totals[name].perRound.push(result.requests / result.seconds);
      }
    }
    const inProcess = totals.inProcess.requests / totals.inProcess.seconds;
    const redisRate = totals.withRedis.requests / totals.withRedis.seconds;
    const roundRatios = totals.withRedis.perRound.map((rate, round) => rate / totals.inProcess.perRound[round]);
    return {
      withRedis,
      withoutRedis,
      sessionReadsPerSecond: { inProcess, withRedis: redisRate, ratio: median(roundRatios), roundRatios },
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await redis?.stop();
  }
}

/** The several-instances table, in the README's Markdown. */
export function formatSeveralInstances(report: SeveralInstancesReport): string {
  const row = (name: string, reads: ExpiredSessionReads) =>
    `| ${name} | ${reads.refreshGrantsPerSession.toFixed(2)} | ${reads.revokedGrants} | ${reads.goodReads} / ${reads.sessions * reads.readsPerSession} |`;
  const { inProcess, withRedis, ratio } = report.sessionReadsPerSecond;
  return [
    `| two instances, ${report.withRedis.readsPerSession} concurrent reads per expired session | refresh grant requests per session | revoked grants | good sessions |`,
    '| --- | ---: | ---: | ---: |',
    row('with `REDIS_URL`', report.withRedis),
    row('without (in-process flight per instance)', report.withoutRedis),
    '',
    '| `/api/auth/session`, one instance | requests/s | vs in-process |',
    '| --- | ---: | ---: |',
    `| in-process (no \`REDIS_URL\`) | ${inProcess.toFixed(0)} | 1.00 |`,
    `| with \`REDIS_URL\` (revocation look-ups tracked in memory) | ${withRedis.toFixed(0)} | **${ratio.toFixed(2)}** |`,
  ].join('\n');
}

/** The bench's pass/fail lines for the several-instances figures. */
export function severalInstancesChecks(report: SeveralInstancesReport): { name: string; pass: boolean }[] {
  const { withRedis, sessionReadsPerSecond } = report;
  return [
    {
      name: `with Redis, 1 refresh grant per expired session across two instances (${withRedis.refreshGrantsPerSession.toFixed(2)}), none revoked`,
      pass: withRedis.refreshGrantsPerSession === 1 && withRedis.revokedGrants === 0,
    },
    {
      name: `with Redis, session-read throughput ratio ${sessionReadsPerSecond.ratio.toFixed(2)} ≥ ${MIN_REDIS_THROUGHPUT_RATIO} of in-process`,
      pass: sessionReadsPerSecond.ratio >= MIN_REDIS_THROUGHPUT_RATIO,
    },
  ];
}

/** Signs in `sessions` times and reads each expired session 20 times at once, the reads spread across `instances`. */
async function readExpiredSessions(
  issuer: TestIssuer,
  signInAt: string,
  instances: NextServer[],
  sessions: number,
): Promise<ExpiredSessionReads> {
  let grants = 0;
  let goodReads = 0;
  const revokedBefore = issuer.revokedGrants();
  for (let session = 0; session < sessions; session += 1) {
    const cookie = await sessionCookie(signInAt, issuer, false);
    const before = issuer.count('token', 'refresh_token');
    const reads = await Promise.all(
      Array.from({ length: READS_PER_SESSION }, async (_, index) => {
        const response = await fetch(`${instances[index % instances.length].url}/api/auth/session`, { headers: { cookie } });
        return (await response.json()) as { user?: { id?: string }; error?: string };
      }),
    );
    grants += issuer.count('token', 'refresh_token') - before;
    goodReads += reads.filter((read) => read.user?.id && !read.error).length;
  }
  return {
    sessions,
    readsPerSession: READS_PER_SESSION,
    refreshGrantsPerSession: grants / sessions,
    revokedGrants: issuer.revokedGrants() - revokedBefore,
    goodReads,
  };
}

/** A session cookie from a sign-in at `appUrl`; `check` reads the session once (which refreshes a due one). */
async function sessionCookie(appUrl: string, issuer: TestIssuer, check = true): Promise<string> {
  const browser = createBrowser(appUrl);
  const { callbackResponse } = await signIn(browser, issuer);
  const pairs = [...browser.cookies].filter(([name]) => name.startsWith('next-auth.session-token'));
  if (pairs.length === 0) throw new Error(`Could not sign in to ${appUrl} (callback ${callbackResponse.status})`);
  const cookie = pairs.map(([name, value]) => `${name}=${value}`).join('; ');
  if (check && !(await readSession(browser))) throw new Error(`No session at ${appUrl} after signing in`);
  return cookie;
}

async function loadSessionReads(url: string, cookie: string, connections: number, duration: number) {
  const result = await autocannon({ url, connections, duration, headers: { cookie } });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { requests: result.requests.total, seconds: result.duration };
}

function stringsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
