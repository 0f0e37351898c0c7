import { createAuthLogger, type AuthLogger } from '@/lib/logto/log/logger';
import { reloadJwks } from '@/lib/logto/oidc/jwks-refetch-guard';
import {
  createIssuerCache,
  DISCOVERY_RETRY_MS,
  DISCOVERY_TTL_MS,
  IssuerMismatchError,
  type IssuerCache,
} from '@/lib/logto/oidc/issuer-cache';
import { Issuer } from 'openid-client';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';
import { waitUntil } from '../helpers/wait-until';

describe('createIssuerCache', () => {
  let issuer: TestIssuer;
  let logs: string[];
  let logger: AuthLogger;
  let clock: number;
  let cache: IssuerCache;

  beforeEach(async () => {
    issuer = await startTestIssuer();
    logs = [];
    logger = createAuthLogger({ error: (line) => logs.push(line), warn: (line) => logs.push(line) });
    clock = Date.UTC(2030, 0, 1);
    cache = createIssuerCache({
      issuer: issuer.issuer,
      wellKnown: `${issuer.issuer}/.well-known/openid-configuration`,
      logger,
      now: () => clock,
    });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await issuer.close();
  });

  it('fetches discovery once and serves it from memory within the TTL', async () => {
    const first = await cache.get();
    clock += DISCOVERY_TTL_MS - 1;
    const second = await cache.get();

    expect(second).toBe(first);
    expect(first.metadata.token_endpoint).toBe(`${issuer.issuer}/token`);
    expect(issuer.count('discovery')).toBe(1);
  });

  it('fetches discovery once for many simultaneous first callers', async () => {
    const issuers = await Promise.all(Array.from({ length: 25 }, () => cache.get()));

    expect(new Set(issuers).size).toBe(1);
    expect(issuer.count('discovery')).toBe(1);
  });

  it('refuses a discovery document that names another issuer (OIDC Discovery §4.3)', async () => {
    issuer.discoveryOverrides = { issuer: 'https://other-tenant.example.com/oidc' };

    const refused = cache.get();

    await expect(refused).rejects.toBeInstanceOf(IssuerMismatchError);
    await expect(refused).rejects.toThrow(
      `names the issuer "https://other-tenant.example.com/oidc", but AUTH_LOGTO_ISSUER is "${issuer.issuer}". ` +
        'Set AUTH_LOGTO_ISSUER to your Logto endpoint followed by /oidc.',
    );
  });

  it('refuses an issuer that differs only by a trailing slash', async () => {
    issuer.discoveryOverrides = { issuer: `${issuer.issuer}/` };

    await expect(cache.get()).rejects.toBeInstanceOf(IssuerMismatchError);
  });

  it('does not cache a failed first fetch', async () => {
    await issuer.pause();
    await expect(cache.get()).rejects.toThrow(/ECONNREFUSED/);

    await issuer.resume();
    const discovered = await cache.get();

    expect(discovered.metadata.issuer).toBe(issuer.issuer);
    expect(issuer.count('discovery')).toBe(1);
  });

  it('answers with the cached Issuer after the TTL and refetches in the background', async () => {
    const first = await cache.get();
    issuer.discoveryOverrides = { end_session_endpoint: `${issuer.issuer}/session/end-v2` };
    clock += DISCOVERY_TTL_MS;

    const stale = await cache.get();
    expect(stale).toBe(first);
    await waitUntil(async () => (await cache.get()) !== first);

    const fresh = await cache.get();
    expect(fresh.metadata.end_session_endpoint).toBe(`${issuer.issuer}/session/end-v2`);
    expect(issuer.count('discovery')).toBe(2);
  });

  it('keeps the same Issuer, and so its JWKS, when the refetched metadata is unchanged', async () => {
    // Passes through to openid-client; it hands the test the background refetch to wait for.
    const discover = jest.spyOn(Issuer, 'discover');
    const first = await cache.get();
    await reloadJwks(first);
    clock += DISCOVERY_TTL_MS;

    expect(await cache.get()).toBe(first);
    await discover.mock.results[1].value;
    await new Promise(setImmediate);

    expect(await cache.get()).toBe(first);
    expect(issuer.count('discovery')).toBe(2);
    expect(issuer.count('jwks')).toBe(1);
    // Stored as fresh again: no refetch until another TTL has passed.
    clock += DISCOVERY_TTL_MS - 1;
    await cache.get();
    expect(discover).toHaveBeenCalledTimes(2);
  });

  it('serves stale metadata while the issuer is down, logs once per failed refetch and retries later', async () => {
    const first = await cache.get();
    await issuer.pause();
    clock += DISCOVERY_TTL_MS;

    const served = await Promise.all(Array.from({ length: 5 }, () => cache.get()));
    expect(served.every((cached) => cached === first)).toBe(true);
    await waitUntil(() => logs.length > 0);
    expect(logs).toEqual([
      expect.stringContaining('[auth] LOGTO_DISCOVERY_STALE: Logto could not be reached or answered with an error.'),
    ]);

    await issuer.resume();
    issuer.resetRequests();
    clock += DISCOVERY_RETRY_MS - 1;
    expect(await cache.get()).toBe(first);
    expect(issuer.count('discovery')).toBe(0);

    clock += 1;
    expect(await cache.get()).toBe(first);
    await waitUntil(() => issuer.count('discovery') === 1);
    expect(logs).toHaveLength(1);
  });

  it('keeps the stale metadata when a refetch names another issuer, and logs the mismatch', async () => {
    const first = await cache.get();
    issuer.discoveryOverrides = { issuer: 'https://other-tenant.example.com/oidc' };
    clock += DISCOVERY_TTL_MS;

    expect(await cache.get()).toBe(first);
    await waitUntil(() => logs.length > 0);

    expect(logs).toEqual([
      expect.stringContaining(
        '[auth] LOGTO_DISCOVERY_STALE: the discovery document belongs to another issuer. ' +
          'Fix: set AUTH_LOGTO_ISSUER to your Logto endpoint followed by /oidc',
      ),
    ]);
    expect((await cache.get()).metadata.issuer).toBe(issuer.issuer);
  });
});
