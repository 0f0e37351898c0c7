import { explainAuthError } from '@/lib/logto/log/explain-auth-error';
import { checkTimeClaims, CLOCK_SKEW_SECONDS, TimeClaimError } from '@/lib/logto/oidc/time-claims';

const NOW = 1_764_205_200;

/** The time claims of an honest id_token issued now with Logto's 1 h lifetime, with `overrides` applied. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { iat: NOW, exp: NOW + 3600, ...overrides };
  for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete base[name];
  return base;
}

/** The claim a refusal names, or 'accepted'. */
function verdict(input: Record<string, unknown>, options: Parameters<typeof checkTimeClaims>[1] = {}): string {
  try {
    checkTimeClaims(input, { now: NOW, ...options });
    return 'accepted';
  } catch (error) {
    if (error instanceof TimeClaimError) return error.claim;
    throw error;
  }
}

describe('checkTimeClaims', () => {
  it('states a 10 s skew', () => {
    expect(CLOCK_SKEW_SECONDS).toBe(10);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an honest id_token', {}, 'accepted'],
    ['exp 9 s ago (within the skew)', { iat: NOW - 3609, exp: NOW - 9 }, 'accepted'],
    ['exp 10 s ago', { iat: NOW - 3610, exp: NOW - 10 }, 'exp'],
    ['no exp', { exp: undefined }, 'exp'],
    ['exp as a string', { exp: String(NOW + 3600) }, 'exp'],
    ['exp as Infinity (JSON 1e400)', { exp: Number.POSITIVE_INFINITY }, 'exp'],
    ['iat 10 s in the future (the skew)', { iat: NOW + 10 }, 'accepted'],
    ['iat 11 s in the future', { iat: NOW + 11 }, 'iat'],
    ['no iat', { iat: undefined }, 'iat'],
    ['iat as null', { iat: null }, 'iat'],
    ['iat after exp', { iat: NOW + 5, exp: NOW + 4 }, 'iat'],
    ['nbf 10 s in the future', { nbf: NOW + 10 }, 'accepted'],
    ['nbf 11 s in the future', { nbf: NOW + 11 }, 'nbf'],
    ['nbf as a string', { nbf: 'now' }, 'nbf'],
    ['auth_time 10 s after iat', { auth_time: NOW + 10 }, 'accepted'],
    ['auth_time 11 s in the future', { iat: NOW + 5, auth_time: NOW + 11 }, 'auth_time'],
    ['auth_time 11 s after iat', { iat: NOW - 20, exp: NOW + 3580, auth_time: NOW - 9 }, 'auth_time'],
    ['auth_time as a string', { auth_time: 'yesterday' }, 'auth_time'],
  ])('with %s: %s', (_case, input, expected) => {
    expect(verdict(claims(input))).toBe(expected);
  });

  describe('with max_age (authorization request)', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['auth_time max_age ago', { auth_time: NOW - 300 }, 'accepted'],
      ['auth_time max_age + 10 s ago (the skew)', { auth_time: NOW - 310 }, 'accepted'],
      ['auth_time max_age + 11 s ago', { auth_time: NOW - 311 }, 'auth_time'],
      ['no auth_time', {}, 'auth_time'],
    ])('%s: %s', (_case, input, expected) => {
      expect(verdict(claims(input), { maxAuthAge: 300 })).toBe(expected);
    });
  });

  describe('for a logout token (no exp, age bounded by iat)', () => {
    const options = { requireExp: false, maxTokenAge: 120 };
    it.each<[string, Record<string, unknown>, string]>([
      ['iat now', { exp: undefined }, 'accepted'],
      ['iat 130 s ago (max age + skew)', { exp: undefined, iat: NOW - 130 }, 'accepted'],
      ['iat 131 s ago', { exp: undefined, iat: NOW - 131 }, 'iat'],
      ['iat 11 s in the future', { exp: undefined, iat: NOW + 11 }, 'iat'],
      ['an exp in the past', { iat: NOW - 60, exp: NOW - 30 }, 'exp'],
    ])('%s: %s', (_case, input, expected) => {
      expect(verdict(claims(input), options)).toBe(expected);
    });
  });

  it('names the claim, its value, now and the skew in its message', () => {
    expect(() => checkTimeClaims(claims({ iat: NOW + 120 }), { now: NOW })).toThrow(
      `time claim iat refused: the token was issued 120 s in the future (iat ${NOW + 120}, now ${NOW}, allowed skew 10 s)`,
    );
  });
});

describe('explainAuthError for time claims', () => {
  function explain(input: Record<string, unknown>, options: Parameters<typeof checkTimeClaims>[1] = {}) {
    try {
      checkTimeClaims(input, { now: NOW, ...options });
    } catch (error) {
      return explainAuthError(error);
    }
    throw new Error('expected a refusal');
  }

  it('points at the clock for a claim that does not fit it', () => {
    expect(explain(claims({ iat: NOW + 60 }))).toEqual({
      cause: "the ID token's `iat` claim does not fit this server's clock, even with the 10 s allowed skew",
      fix: "check that the server's clock is right (NTP)",
    });
  });

  it('points at the tenant for a missing claim', () => {
    expect(explain(claims({ iat: undefined }))).toEqual({
      cause: "the ID token's `iat` claim is missing or not a number of seconds",
      fix: 'check that AUTH_LOGTO_ISSUER points at your Logto tenant',
    });
  });

  it('explains a sign-in older than max_age', () => {
    expect(explain(claims({ auth_time: NOW - 4000 }), { maxAuthAge: 300 })?.cause).toBe(
      "the user's sign-in at Logto is older than the max_age this app asks for",
    );
  });
});
