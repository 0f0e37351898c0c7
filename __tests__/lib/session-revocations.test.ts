import { createMemorySessionRevocations } from '@/lib/logto/logout/session-revocations';

// A session's maxAge in seconds: how long a revocation is remembered.
const MAX_AGE = 3600;
// When the user signed in and when Logto ended their sessions, in epoch seconds.
const SIGNED_IN_AT = 1_900_000_000;
const LOGGED_OUT_AT = SIGNED_IN_AT + 600;

describe('createMemorySessionRevocations', () => {
  let nowMs: number;
  const now = () => nowMs;

  beforeEach(() => {
    nowMs = 1_900_000_000_000;
  });

  it('revokes the app session with a revoked key (a sign-out), and no other session of its user', async () => {
    const revocations = createMemorySessionRevocations({ now });

    await revocations.revokeSession('session-1', MAX_AGE);

    await expect(revocations.isRevoked({ sessionId: 'session-1', sid: 'sid-1', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sessionId: 'session-2', sid: 'sid-1', sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(false);
    await expect(revocations.isRevoked({ sid: 'session-1' })).resolves.toBe(false);
    nowMs += MAX_AGE * 1000;
    await expect(revocations.isRevoked({ sessionId: 'session-1' })).resolves.toBe(false);
  });

  it('revokes the sessions with a revoked sid, and no others', async () => {
    const revocations = createMemorySessionRevocations({ now });

    await revocations.revokeSid('sid-1', MAX_AGE);

    await expect(revocations.isRevoked({ sid: 'sid-1', sub: 'user-1' })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sid: 'sid-2', sub: 'user-1' })).resolves.toBe(false);
    await expect(revocations.isRevoked({})).resolves.toBe(false);
  });

  it('revokes the sessions of a sub signed in at or before the cut-off, or at an unknown time', async () => {
    const revocations = createMemorySessionRevocations({ now });

    await revocations.revokeSubBefore('user-1', LOGGED_OUT_AT, MAX_AGE);

    await expect(revocations.isRevoked({ sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sub: 'user-1', authTime: LOGGED_OUT_AT })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sub: 'user-1' })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sub: 'user-1', authTime: LOGGED_OUT_AT + 1 })).resolves.toBe(false);
    await expect(revocations.isRevoked({ sub: 'user-2', authTime: SIGNED_IN_AT })).resolves.toBe(false);
  });

  it('keeps the later cut-off when an older logout arrives after a newer one', async () => {
    const revocations = createMemorySessionRevocations({ now });

    await revocations.revokeSubBefore('user-1', LOGGED_OUT_AT, MAX_AGE);
    await revocations.revokeSubBefore('user-1', SIGNED_IN_AT - 1, MAX_AGE);

    await expect(revocations.isRevoked({ sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
  });

  it('forgets a revocation once its TTL has passed', async () => {
    const revocations = createMemorySessionRevocations({ now });
    await revocations.revokeSid('sid-1', 60);
    await revocations.revokeSubBefore('user-1', LOGGED_OUT_AT, 60);

    nowMs += 59_999;
    await expect(revocations.isRevoked({ sid: 'sid-1' })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(true);
    nowMs += 1;
    await expect(revocations.isRevoked({ sid: 'sid-1' })).resolves.toBe(false);
    await expect(revocations.isRevoked({ sub: 'user-1', authTime: SIGNED_IN_AT })).resolves.toBe(false);
  });

  it('tells a first jti from a replay until the jti expires', async () => {
    const revocations = createMemorySessionRevocations({ now });

    await expect(revocations.markJtiSeen('jti-1', 120)).resolves.toBe(true);
    await expect(revocations.markJtiSeen('jti-1', 120)).resolves.toBe(false);
    await expect(revocations.markJtiSeen('jti-2', 120)).resolves.toBe(true);
    nowMs += 120_000;
    await expect(revocations.markJtiSeen('jti-1', 120)).resolves.toBe(true);
  });

  it('holds at most maxEntries per kind, dropping expired entries and then those closest to expiry', async () => {
    const revocations = createMemorySessionRevocations({ now, maxEntries: 10 });
    await revocations.revokeSid('expired', 1);
    await revocations.revokeSid('soonest', 5);
    for (let i = 0; i < 8; i += 1) await revocations.revokeSid(`sid-${i}`, MAX_AGE);
    nowMs += 1000;

    await revocations.revokeSid('newest', MAX_AGE);

    await expect(revocations.isRevoked({ sid: 'newest' })).resolves.toBe(true);
    await expect(revocations.isRevoked({ sid: 'soonest' })).resolves.toBe(true);
    await revocations.revokeSid('one-more', MAX_AGE);
    // Full again with nothing expired: the entry closest to expiry goes first.
    await expect(revocations.isRevoked({ sid: 'soonest' })).resolves.toBe(false);
    await expect(revocations.isRevoked({ sid: 'one-more' })).resolves.toBe(true);
    for (let i = 0; i < 8; i += 1) await expect(revocations.isRevoked({ sid: `sid-${i}` })).resolves.toBe(true);
  });
});
