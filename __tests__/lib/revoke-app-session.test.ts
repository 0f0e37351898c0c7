import type { JWT } from 'next-auth/jwt';
import { createAuthLogger } from '@/lib/logto/log/logger';
import { appSessionKeyOf, revokeAppSession } from '@/lib/logto/logout/revoke-app-session';
import { createMemorySessionRevocations, type SessionRevocations } from '@/lib/logto/logout/session-revocations';

// A session's maxAge in seconds: how long a sign-out is remembered.
const MAX_AGE = 3600;
// When the user signed in, in epoch seconds.
const SIGNED_IN_AT = 1_900_000_000;

/** A session token as the kit writes it at sign-in (only the fields the revocation store reads). */
const token = (fields: Partial<JWT> = {}): JWT => ({ sub: 'user-1', sessionId: 'AAAAAAAAAAAAAAAAAAAAAA', sid: 'sid-1', authTime: SIGNED_IN_AT, ...fields });

/** A logger that collects its lines. */
function collectingLogger() {
  const lines: string[] = [];
  return { lines, logger: createAuthLogger({ error: (line) => lines.push(line), warn: (line) => lines.push(line) }) };
}

describe('appSessionKeyOf', () => {
  it('is the session’s random sessionId', () => {
    expect(appSessionKeyOf(token())).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('is sub@authTime for an older cookie without a sessionId', () => {
    expect(appSessionKeyOf(token({ sessionId: undefined }))).toBe(`user-1@${SIGNED_IN_AT}`);
  });

  it('is undefined for a cookie with neither', () => {
    expect(appSessionKeyOf(token({ sessionId: undefined, authTime: undefined }))).toBeUndefined();
  });
});

describe('revokeAppSession', () => {
  it('ends the session by its key, leaving its Logto session and its user’s other sessions alone', async () => {
    const revocations = createMemorySessionRevocations();
    const { lines, logger } = collectingLogger();

    await revokeAppSession(token(), { revocations, ttlSeconds: MAX_AGE, logger });

    await expect(revocations.isRevoked({ sessionId: 'AAAAAAAAAAAAAAAAAAAAAA' })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sid: 'sid-1', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(false);
    expect(lines).toEqual([]);
  });

  it('ends a cookie with neither sessionId nor authTime by its sid', async () => {
    const revocations = createMemorySessionRevocations();
    const { logger } = collectingLogger();

    await revokeAppSession(token({ sessionId: undefined, authTime: undefined }), { revocations, ttlSeconds: MAX_AGE, logger });

    await expect(revocations.isRevoked({ sid: 'sid-1' })).resolves.toBe(true);
  });

  it('resolves when the store rejects, logging one line with the cause and the fix', async () => {
    const down: SessionRevocations = {
      ...createMemorySessionRevocations(),
      revokeSession: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
    };
    const { lines, logger } = collectingLogger();

    await expect(revokeAppSession(token(), { revocations: down, ttlSeconds: MAX_AGE, logger })).resolves.toBeUndefined();

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[auth\] LOGTO_SIGN_OUT_NOT_RECORDED: the session revocation store .* did not take the sign-out/);
    expect(lines[0]).toMatch(/Fix: check that Redis is up and reachable from every instance \(REDIS_URL\)/);
    expect(lines[0]).toContain('ECONNREFUSED');
    expect(lines[0]).not.toMatch(/Logto could not be reached/);
  });
});
