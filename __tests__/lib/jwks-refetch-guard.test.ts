import { generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { Issuer } from 'openid-client';
import { createAuthLogger } from '@/lib/logto/log/logger';
import {
  createJwksRefetchGuard,
  JWKS_REFETCH_WINDOW_MS,
  MAX_FORCED_JWKS_REFETCHES,
  reloadJwks,
  type JwksRefetchGuard,
} from '@/lib/logto/oidc/jwks-refetch-guard';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';

describe('createJwksRefetchGuard', () => {
  let testIssuer: TestIssuer;
  let issuer: Issuer;
  let signingKey: KeyLike;
  let logs: string[];
  let clock: number;
  let guard: JwksRefetchGuard;

  /** An id_token whose header names `kid`; the guard reads only the header, so any ES384 key signs it. */
  const idTokenWithKid = (kid?: string) =>
    new SignJWT({ sub: 'user-1' }).setProtectedHeader({ alg: 'ES384', ...(kid && { kid }) }).sign(signingKey);

  beforeAll(async () => {
    ({ privateKey: signingKey } = await generateKeyPair('ES384'));
  });
  beforeEach(async () => {
    testIssuer = await startTestIssuer();
    issuer = await Issuer.discover(testIssuer.issuer);
    // openid-client has the JWKS now, and refuses to refetch it for an unknown kid in the next 60 s.
    await reloadJwks(issuer);
    testIssuer.resetRequests();
    logs = [];
    clock = Date.UTC(2030, 0, 1);
    guard = createJwksRefetchGuard(issuer, {
      logger: createAuthLogger({ error: (line) => logs.push(line), warn: (line) => logs.push(line) }),
      now: () => clock,
    });
  });
  afterEach(() => testIssuer.close());

  it('refetches the JWKS at once for a kid it has not seen, right after a previous fetch', async () => {
    const kid = await testIssuer.rotateKey();

    await guard.ensureKeyFor(await idTokenWithKid(kid));

    expect(testIssuer.count('jwks')).toBe(1);
  });

  it('does not refetch for a kid it has seen before', async () => {
    const token = await idTokenWithKid('kid-a');

    await guard.ensureKeyFor(token);
    await guard.ensureKeyFor(token);
    await guard.ensureKeyFor(await idTokenWithKid('kid-a'));

    expect(testIssuer.count('jwks')).toBe(1);
  });

  it('leaves an id_token without a kid to openid-client', async () => {
    await guard.ensureKeyFor(await idTokenWithKid(undefined));

    expect(testIssuer.count('jwks')).toBe(0);
  });

  it('makes one JWKS request for many simultaneous callbacks with the same new kid', async () => {
    const token = await idTokenWithKid(await testIssuer.rotateKey());

    await Promise.all(Array.from({ length: 10 }, () => guard.ensureKeyFor(token)));

    expect(testIssuer.count('jwks')).toBe(1);
  });

  it(`forces at most ${MAX_FORCED_JWKS_REFETCHES} refetches per window, however many unknown kids arrive`, async () => {
    for (let i = 0; i < 4 * MAX_FORCED_JWKS_REFETCHES; i += 1) {
      await guard.ensureKeyFor(await idTokenWithKid(`bogus-${i}`));
    }

    expect(testIssuer.count('jwks')).toBe(MAX_FORCED_JWKS_REFETCHES);
    expect(logs).toHaveLength(3 * MAX_FORCED_JWKS_REFETCHES);
    expect(logs[0]).toBe(
      `[auth] warning LOGTO_JWKS_REFETCH_LIMIT {"kid":"bogus-${MAX_FORCED_JWKS_REFETCHES}","limit":${MAX_FORCED_JWKS_REFETCHES}}`,
    );
  });

  it('forces refetches again once the window has passed', async () => {
    for (let i = 0; i < MAX_FORCED_JWKS_REFETCHES + 1; i += 1) {
      await guard.ensureKeyFor(await idTokenWithKid(`bogus-${i}`));
    }
    const rotated = await idTokenWithKid(await testIssuer.rotateKey());

    clock += JWKS_REFETCH_WINDOW_MS - 1;
    await guard.ensureKeyFor(rotated);
    expect(testIssuer.count('jwks')).toBe(MAX_FORCED_JWKS_REFETCHES);

    clock += 1;
    await guard.ensureKeyFor(rotated);
    expect(testIssuer.count('jwks')).toBe(MAX_FORCED_JWKS_REFETCHES + 1);
  });
});
