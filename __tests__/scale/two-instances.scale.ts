import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXPIRY_MARGIN_SECONDS } from '@/lib/logto/session/refresh-access-token';
import { startIssuerProcess, type IssuerProcess } from '../local-issuer/helpers/issuer-process';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { findFreePort } from '../../scripts/free-port';
import { startNextServer, startNextServers, type NextServer } from '../../scripts/bench/next-server';
import { buildAppOnce, instanceEnv } from './helpers/app-instances';
import { readSessionAt, signInOverHttp, signOutAt, type SessionRead } from './helpers/http-sign-in';

// Access tokens are inside the kit's refresh margin as soon as they are issued: every session read refreshes.
const ACCESS_TOKEN_TTL_SECONDS = EXPIRY_MARGIN_SECONDS - 10;
// Logto returns the same refresh token until 70% of its lifetime (14 days) has passed, and only then a new
// one (core/src/oidc/defaults.ts, rotateRefreshToken). A 30 s lifetime lets a test reach that point in 21 s.
const REFRESH_TOKEN_TTL_SECONDS = 30;
const ROTATION_AFTER_SECONDS = REFRESH_TOKEN_TTL_SECONDS * 0.7;
const ALICE = { username: 'alice', sub: 'alice-demo' };

/** The local issuer's counters (GET /admin/metrics). */
interface IssuerMetrics {
  grants: Record<string, number>;
  grantErrors: number;
  revokedGrants: number;
}

async function issuerMetrics(
  issuer: IssuerProcess,
): Promise<{ refreshGrants: number; grantErrors: number; revokedGrants: number }> {
  const metrics = (await (await fetch(`${issuer.url}/admin/metrics`)).json()) as IssuerMetrics;
  return {
    refreshGrants: metrics.grants.refresh_token ?? 0,
    grantErrors: metrics.grantErrors,
    revokedGrants: metrics.revokedGrants,
  };
}

/** The change of each counter from `before` to `after`. */
function metricsDelta(before: Awaited<ReturnType<typeof issuerMetrics>>, after: Awaited<ReturnType<typeof issuerMetrics>>) {
  return {
    refreshGrants: after.refreshGrants - before.refreshGrants,
    grantErrors: after.grantErrors - before.grantErrors,
    revokedGrants: after.revokedGrants - before.revokedGrants,
  };
}

/** `count` concurrent session reads carrying the same `cookie`, sent to the instances in turn. */
function concurrentReads(instances: NextServer[], cookie: string, count: number): Promise<SessionRead[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => readSessionAt(instances[index % instances.length].url, cookie)));
}

/** Whether a read returned Alice's session, alive (no refresh error). */
const isGoodSession = (read: SessionRead) =>
  read.status === 200 && read.session?.user.id === ALICE.sub && read.session.error === undefined;

// Two `next start` processes of one build behind an imagined load balancer (one NEXTAUTH_URL), sharing one
// redis-server and the local issuer (scripts/local-issuer) — each a real process started here.
describe('two next start instances', () => {
  let redis: RedisServer;
  let issuer: IssuerProcess;
  let withRedis: NextServer[] = [];
  let withoutRedis: NextServer[] = [];

  beforeAll(async () => {
    await buildAppOnce();
    const ports = await Promise.all([findFreePort(), findFreePort(), findFreePort(), findFreePort()]);
    // The first instance's URL stands for the load balancer: the issuer registers its callback and its
    // back-channel logout URI, so logout tokens reach only that instance.
    const appUrl = `http://127.0.0.1:${ports[0]}`;
    [redis, issuer] = await Promise.all([
      startRedisServer(),
      startIssuerProcess(appUrl, {
        LOCAL_ISSUER_ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL_SECONDS),
        LOCAL_ISSUER_REFRESH_TOKEN_TTL: String(REFRESH_TOKEN_TTL_SECONDS),
      }),
    ]);
    const env = {
      AUTH_LOGTO_ISSUER: issuer.issuer,
      AUTH_LOGTO_ID: issuer.clientId,
      AUTH_LOGTO_SECRET: issuer.clientSecret,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    };
    // Every instance gets the same NEXTAUTH_URL, as behind a load balancer. startNextServers stops the
    // instances it started when another fails; afterAll stops the ones kept in withRedis/withoutRedis.
    const start = (port: number, values: Record<string, string>) => () =>
      startNextServer(instanceEnv(values), { port, nextAuthUrl: appUrl });
    withRedis = await startNextServers(ports.slice(0, 2).map((port) => start(port, { ...env, REDIS_URL: redis.url })));
    withoutRedis = await startNextServers(ports.slice(2).map((port) => start(port, env)));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...withRedis, ...withoutRedis].map((instance) => instance.stop()));
    await Promise.all([issuer?.stop(), redis?.stop()]);
  });

  describe('with REDIS_URL', () => {
    it('refreshes once for 20 concurrent reads of an expired session spread across both, and all 20 get it', async () => {
      const cookie = await signInOverHttp(withRedis[0].url, ALICE.username);
      const before = await issuerMetrics(issuer);

      const reads = await concurrentReads(withRedis, cookie, 20);

      const after = await issuerMetrics(issuer);
      expect(after.refreshGrants - before.refreshGrants).toBe(1);
      expect(after.revokedGrants - before.revokedGrants).toBe(0);
      expect(reads.filter(isGoodSession)).toHaveLength(20);
      // Both instances answered with the one refreshed session: one new expiry, and a new cookie each.
      expect(new Set(reads.map((read) => read.session?.accessTokenExpiresAt)).size).toBe(1);
      expect(reads.every((read) => read.cookie !== cookie)).toBe(true);
    });

    it('signs the session out on both instances after Logto ends it, without a refresh', async () => {
      const signedIn = await signInOverHttp(withRedis[0].url, ALICE.username);
      const onFirst = await readSessionAt(withRedis[0].url, signedIn);
      const onSecond = await readSessionAt(withRedis[1].url, onFirst.cookie);
      expect([onFirst, onSecond].every(isGoodSession)).toBe(true);

      // The issuer ends Alice's sessions and sends the logout token to the first instance only.
      const ended = (await (await fetch(`${issuer.url}/admin/sessions/end?sub=${ALICE.sub}`, { method: 'POST' })).json()) as {
        notified: { delivered: boolean }[];
      };
      expect(ended.notified.length).toBeGreaterThan(0);
      expect(ended.notified.every((notice) => notice.delivered)).toBe(true);
      const before = await issuerMetrics(issuer);

      const secondAfter = await readSessionAt(withRedis[1].url, onSecond.cookie);
      const firstAfter = await readSessionAt(withRedis[0].url, onSecond.cookie);

      expect(secondAfter).toMatchObject({ status: 200, session: null });
      expect(firstAfter).toMatchObject({ status: 200, session: null });
      expect(secondAfter.cookie).not.toMatch(/session-token/);
      expect((await issuerMetrics(issuer)).refreshGrants).toBe(before.refreshGrants);
    });

    it('signs an old copy of the cookie out on both instances after signOut() on the first, without a refresh', async () => {
      const signedIn = await signInOverHttp(withRedis[0].url, ALICE.username);
      // The copy: the cookie as the browser holds it after a read (every read refreshes here), as another tab would.
      const copy = (await readSessionAt(withRedis[0].url, signedIn)).cookie;
      expect(isGoodSession(await readSessionAt(withRedis[1].url, copy))).toBe(true);

      const signedOut = await signOutAt(withRedis[0].url, copy);
      expect(signedOut.status).toBe(200);
      expect(signedOut.url).toMatch(new RegExp(`^${issuer.issuer}/session/end\\?`));
      expect(signedOut.cookie).not.toMatch(/session-token/);
      const before = await issuerMetrics(issuer);

      const onSecond = await readSessionAt(withRedis[1].url, copy);
      const onFirst = await readSessionAt(withRedis[0].url, copy);

      expect(onSecond).toMatchObject({ status: 200, session: null });
      expect(onFirst).toMatchObject({ status: 200, session: null });
      expect(onSecond.cookie).not.toMatch(/session-token/);
      expect((await issuerMetrics(issuer)).refreshGrants).toBe(before.refreshGrants);
    });

    it('keeps serving sessions while Redis is killed mid-run, and logs a warning', async () => {
      let cookie = await signInOverHttp(withRedis[0].url, ALICE.username);
      const before = await issuerMetrics(issuer);
      const reads: SessionRead[] = [];
      try {
        for (let round = 0; round < 6; round += 1) {
          if (round === 2) await redis.kill();
          // Four concurrent reads of one cookie on one instance, the instances in turn.
          const instance = withRedis[round % 2];
          const batch = await concurrentReads([instance], cookie, 4);
          reads.push(...batch);
          cookie = batch[0].cookie;
        }
      } finally {
        await redis.start();
      }

      expect(reads.filter(isGoodSession)).toHaveLength(reads.length);
      const after = await issuerMetrics(issuer);
      expect(after.refreshGrants - before.refreshGrants).toBe(6);
      expect(after.revokedGrants - before.revokedGrants).toBe(0);
      expect(withRedis.map((instance) => instance.output()).join('\n')).toMatch(/LOGTO_SHARED_STORE_UNAVAILABLE/);
    });

    it('signs out while Redis is down: cookie cleared, off to Logto, one log line; the copy ends on that instance', async () => {
      const signedIn = await signInOverHttp(withRedis[0].url, ALICE.username);
      const copy = (await readSessionAt(withRedis[0].url, signedIn)).cookie;
      let signedOut: Awaited<ReturnType<typeof signOutAt>>;
      let onFirst: SessionRead;
      await redis.kill();
      try {
        signedOut = await signOutAt(withRedis[0].url, copy);
        onFirst = await readSessionAt(withRedis[0].url, copy);
      } finally {
        await redis.start();
      }

      expect(signedOut.status).toBe(200);
      expect(signedOut.url).toMatch(new RegExp(`^${issuer.issuer}/session/end\\?`));
      expect(signedOut.cookie).not.toMatch(/session-token/);
      const lines = withRedis[0].output().split('\n').filter((line) => line.includes('LOGTO_SIGN_OUT_NOT_RECORDED'));
      expect(lines).toEqual([expect.stringMatching(/did not take the sign-out.*Fix: check that Redis is up/)]);
      // This instance remembers the sign-out in memory while Redis is down.
      expect(onFirst).toMatchObject({ status: 200, session: null });
    });
  });

  describe('without REDIS_URL (the control: this is what Redis prevents)', () => {
    it('refreshes the same session once on each instance while the refresh token is young, and Logto keeps the grant', async () => {
      const cookie = await signInOverHttp(withRedis[0].url, ALICE.username);
      const before = await issuerMetrics(issuer);

      const reads = await concurrentReads(withoutRedis, cookie, 20);

      // Each instance's in-process flight sends one refresh with the same token. Before 70% of its lifetime
      // Logto hands the same refresh token back, so both succeed: twice the grants, none revoked.
      expect(metricsDelta(before, await issuerMetrics(issuer))).toEqual({ refreshGrants: 2, grantErrors: 0, revokedGrants: 0 });
      expect(reads.filter(isGoodSession)).toHaveLength(20);
    });
  });

  // Both sessions are signed in together and aged together, so the suite waits for the rotation once.
  describe('once 70% of the refresh token’s lifetime has passed (Logto rotates it at the next refresh)', () => {
    let withRedisCookie: string;
    let withoutRedisCookie: string;

    beforeAll(async () => {
      const signedInAt = Date.now();
      [withRedisCookie, withoutRedisCookie] = await Promise.all([
        signInOverHttp(withRedis[0].url, ALICE.username),
        signInOverHttp(withRedis[0].url, ALICE.username),
      ]);
      // One second past the 70% mark, measured from before the sign-ins: both tokens are due for rotation,
      // and neither expires (at 100%) before both tests are done.
      await sleep(Math.max(0, signedInAt + (ROTATION_AFTER_SECONDS + 1) * 1000 - Date.now()));
    }, 60_000);

    it('with REDIS_URL: refreshes once for 20 concurrent reads across both, and the rotated token keeps working', async () => {
      const before = await issuerMetrics(issuer);

      const reads = await concurrentReads(withRedis, withRedisCookie, 20);

      expect(metricsDelta(before, await issuerMetrics(issuer))).toEqual({ refreshGrants: 1, grantErrors: 0, revokedGrants: 0 });
      expect(reads.filter(isGoodSession)).toHaveLength(20);
      // The next refresh, on the other instance, presents the new refresh token, which Logto accepts.
      const next = await readSessionAt(withRedis[1].url, reads[0].cookie);
      expect(isGoodSession(next)).toBe(true);
      expect(metricsDelta(before, await issuerMetrics(issuer))).toEqual({ refreshGrants: 2, grantErrors: 0, revokedGrants: 0 });
    });

    it('without REDIS_URL: both instances refresh with the same token, and Logto revokes the grant on the reuse', async () => {
      const before = await issuerMetrics(issuer);

      const reads = await concurrentReads(withoutRedis, withoutRedisCookie, 20);

      // The first refresh the issuer serves rotates the token (consuming it); the second presents the consumed
      // token, so the issuer refuses it and revokes the whole grant, and that instance's 10 reads carry the error.
      expect(metricsDelta(before, await issuerMetrics(issuer))).toEqual({ refreshGrants: 1, grantErrors: 1, revokedGrants: 1 });
      expect(reads.filter(isGoodSession)).toHaveLength(10);
    });
  });
});
