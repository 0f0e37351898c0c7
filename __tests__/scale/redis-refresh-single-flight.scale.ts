import type { JWT } from 'next-auth/jwt';
import { generators, Issuer, type Client } from 'openid-client';
import type Redis from 'ioredis';
import { keepAccessTokenFresh } from '@/lib/logto/session/refresh-access-token';
import { createRefreshSingleFlight, type RefreshSingleFlight } from '@/lib/logto/session/refresh-single-flight';
import { createRedisRefreshSingleFlight } from '@/lib/logto/store/redis-refresh-single-flight';
import { createSharedStore } from '@/lib/logto/store/shared-store';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';
import { waitUntil } from '../helpers/wait-until';
import { useRedisPerFile } from './helpers/redis-per-file';

const SECRET = 'scale-test-secret-scale-test-secret-0123';
// Never fetched: the test issuer redirects to it and the test reads the code off the URL.
const REDIRECT_URI = 'https://app.example.com/api/auth/callback/logto';

/** One app instance as the kit sees it: its own Redis connection, shared store, flight and log. */
interface Instance {
  client: Redis;
  flight: RefreshSingleFlight;
  warnings: string[];
  errors: string[];
}

/** A task whose promise the test settles by hand, counting how often it ran. */
function deferredTask<T>() {
  let resolve!: (value: T) => void;
  const result = new Promise<T>((res) => {
    resolve = res;
  });
  const task = jest.fn(() => result);
  return { task, resolve };
}

describe('createRedisRefreshSingleFlight', () => {
  const redis = useRedisPerFile();
  let raw: Redis;
  let instances: Instance[];

  function startInstance({ lockMs }: { lockMs?: number } = {}): Instance {
    const client = redis.connect();
    const warnings: string[] = [];
    const errors: string[] = [];
    const logger = {
      warn: (code: string) => warnings.push(code),
      error: (code: string) => errors.push(code),
    };
    const store = createSharedStore(client, { logger, commandTimeoutMs: 500, retryAfterMs: 200 });
    const flight = createRedisRefreshSingleFlight({ store, secret: SECRET, logger, lockMs });
    const instance = { client, warnings, errors, flight };
    instances.push(instance);
    return instance;
  }

  /** Every value the kit keeps in Redis, as stored. */
  async function storedValues(): Promise<string[]> {
    const keys = await raw.keys('logto-next-auth:*');
    return Promise.all(keys.map(async (key) => `${key} ${await raw.get(key)}`));
  }

  beforeEach(() => {
    instances = [];
    raw = redis.connect();
  });

  it('runs one task for 20 concurrent calls spread over two instances and gives all of them its result', async () => {
    const [a, b] = [startInstance(), startInstance()];
    const { task, resolve } = deferredTask<{ accessToken: string }>();

    const results = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).flight.run('refresh-token-1', task));
    await waitUntil(() => task.mock.calls.length > 0);
    resolve({ accessToken: 'access-token-2' });

    await expect(Promise.all(results)).resolves.toEqual(Array(20).fill({ accessToken: 'access-token-2' }));
    expect(task).toHaveBeenCalledTimes(1);
    expect([...a.warnings, ...b.warnings]).toEqual([]);
  });

  it('keeps the result in Redis encrypted, under a key that does not reveal the token', async () => {
    const a = startInstance();

    await a.flight.run('refresh-token-secret-1', async () => ({ accessToken: 'access-token-secret-2' }));

    const values = await storedValues();
    expect(values).toHaveLength(1);
    expect(values[0]).toMatch(/^logto-next-auth:refresh:[\w-]{43} v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(values[0]).not.toContain('access-token-secret-2');
    expect(values[0]).not.toContain('refresh-token-secret-1');
    expect(values[0]).not.toContain(Buffer.from('access-token-secret-2').toString('base64url'));
  });

  it('gives a straggler on another instance the finished result without running its task', async () => {
    const [a, b] = [startInstance(), startInstance()];
    await a.flight.run('refresh-token-1', async () => 'refreshed');
    const again = jest.fn(async () => 'refreshed again');

    await expect(b.flight.run('refresh-token-1', again)).resolves.toBe('refreshed');
    expect(again).not.toHaveBeenCalled();
  });

  it('shares a failure with the other instance, which does not refresh again', async () => {
    const [a, b] = [startInstance(), startInstance()];
    const failure = Object.assign(new Error('invalid_grant (refresh token reused)'), {
      error: 'invalid_grant',
      error_description: 'refresh token reused',
    });
    const failing = jest.fn(() => Promise.reject(failure));

    await expect(a.flight.run('refresh-token-1', failing)).rejects.toBe(failure);
    const other = jest.fn(async () => 'refreshed');
    const shared = b.flight.run('refresh-token-1', other);

    await expect(shared).rejects.toThrow('invalid_grant (refresh token reused)');
    await expect(shared).rejects.toMatchObject({ error: 'invalid_grant', error_description: 'refresh token reused' });
    expect(other).not.toHaveBeenCalled();
  });

  it('lets a waiter take over when the lock holder dies and its lock expires', async () => {
    const [a, b] = [startInstance({ lockMs: 1000 }), startInstance({ lockMs: 1000 })];
    // The holder never finishes, as if its process had been killed mid-refresh.
    const { task: dying } = deferredTask<string>();
    void a.flight.run('refresh-token-1', dying);
    await waitUntil(() => dying.mock.calls.length === 1);
    const [lockKey] = await raw.keys('logto-next-auth:refresh:*');
    const holderLock = await raw.get(lockKey);
    expect(holderLock).toMatch(/^pending\./);
    // What the key holds when the waiter's task starts: the waiter's own lock, taken after the holder's expired.
    let heldWhenTakingOver: string | null | undefined;
    const takeOver = jest.fn(async () => {
      heldWhenTakingOver = await raw.get(lockKey);
      return 'refreshed by the waiter';
    });

    const waiter = b.flight.run('refresh-token-1', takeOver);
    await expect(waiter).resolves.toBe('refreshed by the waiter');
    expect(takeOver).toHaveBeenCalledTimes(1);
    expect(heldWhenTakingOver).toMatch(/^pending\./);
    expect(heldWhenTakingOver).not.toBe(holderLock);
    expect(b.errors).toEqual([]);
  });

  it('refreshes in the process when Redis is killed, logs one warning per outage, and uses Redis again once it is back', async () => {
    const [a, b] = [startInstance(), startInstance()];
    await redis.server.kill();

    for (const key of ['refresh-token-1', 'refresh-token-2', 'refresh-token-3']) {
      await expect(a.flight.run(key, async () => `refreshed ${key}`)).resolves.toBe(`refreshed ${key}`);
    }
    expect(a.warnings).toEqual(['LOGTO_SHARED_STORE_UNAVAILABLE']);

    await redis.server.start();
    await waitUntil(() => a.client.status === 'ready' && b.client.status === 'ready', 10_000);
    // The first call after the pause tries Redis again and finds it back.
    await waitUntil(async () => {
      await a.flight.run(`probe-${Date.now()}`, async () => 'probe');
      return a.warnings.length === 2;
    }, 5000);
    expect(a.warnings).toEqual(['LOGTO_SHARED_STORE_UNAVAILABLE', 'LOGTO_SHARED_STORE_RECOVERED']);

    await a.flight.run('refresh-token-4', async () => 'refreshed once');
    const again = jest.fn(async () => 'refreshed twice');
    await expect(b.flight.run('refresh-token-4', again)).resolves.toBe('refreshed once');
    expect(again).not.toHaveBeenCalled();
  });

  it('falls back when Redis stops answering, instead of making the request wait for it', async () => {
    const a = startInstance();
    await a.flight.run('warm-up', async () => 'connected');
    redis.server.pause();
    try {
      // Within the 500 ms command timeout plus the task: jest's own timeout would catch a hang.
      await expect(a.flight.run('refresh-token-1', async () => 'refreshed here')).resolves.toBe('refreshed here');
      expect(a.warnings).toEqual(['LOGTO_SHARED_STORE_UNAVAILABLE']);
    } finally {
      redis.server.resume();
    }
  });

  describe('with keepAccessTokenFresh and a rotating issuer', () => {
    let issuer: TestIssuer;
    let oidcClient: Client;

    beforeAll(async () => {
      issuer = await startTestIssuer();
      const discovered = await Issuer.discover(issuer.issuer);
      oidcClient = new discovered.Client({
        client_id: issuer.clientId,
        client_secret: issuer.clientSecret,
        redirect_uris: [REDIRECT_URI],
        id_token_signed_response_alg: 'ES384',
      });
    });
    afterAll(() => issuer.close());

    /** Signs the test user in with openid-client alone and returns the session token with its access token expired. */
    async function expiredSession(): Promise<JWT> {
      const codeVerifier = generators.codeVerifier();
      const nonce = generators.nonce();
      const back = await issuer.authorize(
        oidcClient.authorizationUrl({
          redirect_uri: REDIRECT_URI,
          scope: 'openid offline_access',
          prompt: 'consent',
          code_challenge: generators.codeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          nonce,
        }),
      );
      const tokens = await oidcClient.callback(REDIRECT_URI, oidcClient.callbackParams(back.toString()), {
        code_verifier: codeVerifier,
        nonce,
      });
      issuer.resetRequests();
      return {
        sub: tokens.claims().sub,
        accessToken: tokens.access_token,
        expiresAt: Math.floor(Date.now() / 1000) - 60,
        refreshToken: tokens.refresh_token,
        idToken: tokens.id_token,
      };
    }

    /** 20 concurrent session reads with the same expired session, alternating between two single flights. */
    function readConcurrently(session: JWT, flights: RefreshSingleFlight[]) {
      const logger = { error: jest.fn(), warn: jest.fn() };
      return Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          keepAccessTokenFresh(session, { getClient: async () => oidcClient, singleFlight: flights[i % 2], logger }),
        ),
      );
    }

    it('sends one refresh grant for 20 concurrent reads across two instances, and every read gets the new tokens', async () => {
      const session = await expiredSession();

      const reads = await readConcurrently(session, [startInstance().flight, startInstance().flight]);

      expect(issuer.count('token', 'refresh_token')).toBe(1);
      expect(issuer.revokedGrants()).toBe(0);
      expect(reads.map((read) => read.error)).toEqual(Array(20).fill(undefined));
      expect(new Set(reads.map((read) => read.accessToken)).size).toBe(1);
      expect(reads[0].accessToken).not.toBe(session.accessToken);
      const stored = (await storedValues()).join('\n');
      expect(stored).not.toContain(reads[0].accessToken);
      expect(stored).not.toContain(reads[0].refreshToken);
    });

    it('revokes the grant without Redis, when each instance has only its in-process flight (the failure Redis prevents)', async () => {
      const session = await expiredSession();

      const reads = await readConcurrently(session, [createRefreshSingleFlight(), createRefreshSingleFlight()]);

      expect(issuer.count('token', 'refresh_token')).toBe(2);
      expect(issuer.revokedGrants()).toBe(1);
      expect(reads.some((read) => read.error === 'RefreshAccessTokenError')).toBe(true);
    });
  });
});
