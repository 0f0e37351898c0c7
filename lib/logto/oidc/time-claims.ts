/** The one clock skew the kit allows between this server and Logto, in seconds, for every time claim. */
export const CLOCK_SKEW_SECONDS = 10;

/** A time claim that does not make sense against this server's clock; the message names the claim, its value and now. */
export class TimeClaimError extends Error {
  override name = 'TimeClaimError';
  constructor(
    /** The claim at fault: `exp`, `iat`, `nbf` or `auth_time`. */
    readonly claim: 'exp' | 'iat' | 'nbf' | 'auth_time',
    detail: string,
  ) {
    super(`time claim ${claim} refused: ${detail}`);
  }
}

/** Options of {@link checkTimeClaims}; every time is in epoch seconds. */
export interface TimeClaimOptions {
  /** Now, in epoch seconds; defaults to the system clock. */
  now?: number;
  /** Allowed clock skew in seconds; defaults to {@link CLOCK_SKEW_SECONDS}. */
  skew?: number;
  /** The `max_age` the authorization request sent: `auth_time` is then required and at most this old. */
  maxAuthAge?: number;
  /** Refuse a token whose `iat` is older than this many seconds (logout tokens, which carry no `exp`). */
  maxTokenAge?: number;
  /** Whether `exp` must be present; true for id_tokens, false for logout tokens (Logto sends none). */
  requireExp?: boolean;
}

/**
 * Checks `exp`, `iat`, `nbf` and `auth_time` of a token's claims against the clock with one skew, and throws
 * a {@link TimeClaimError} naming the claim that makes no sense. The signature must be verified before.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function checkTimeClaims(claims: Record<string, unknown>, options: TimeClaimOptions = {}): void {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const skew = options.skew ?? CLOCK_SKEW_SECONDS;
  const { maxAuthAge, maxTokenAge, requireExp = true } = options;
  const exp = readTime(claims, 'exp', requireExp);
  const iat = readTime(claims, 'iat', true)!;
  const nbf = readTime(claims, 'nbf', false);
  const authTime = readTime(claims, 'auth_time', maxAuthAge !== undefined);
  const at = `now ${now}, allowed skew ${skew} s`;

  // OIDC Core §3.1.3.7 (9): "The current time MUST be before the time represented by the exp Claim."
  if (exp !== undefined && exp <= now - skew) {
    throw new TimeClaimError('exp', `the token expired ${now - exp} s ago (exp ${exp}, ${at})`);
  }
  // §3.1.3.7 (10): iat is when the token was issued; a time in the future means one of the clocks is wrong.
  if (iat > now + skew) {
    throw new TimeClaimError('iat', `the token was issued ${iat - now} s in the future (iat ${iat}, ${at})`);
  }
  if (exp !== undefined && iat > exp) {
    throw new TimeClaimError('iat', `the token was issued after it expired (iat ${iat}, exp ${exp})`);
  }
  // With exp in the future and iat ≤ exp, an id_token is at most its own lifetime old (Logto: 1 h).
  if (maxTokenAge !== undefined && iat < now - maxTokenAge - skew) {
    throw new TimeClaimError('iat', `the token was issued ${now - iat} s ago, more than ${maxTokenAge} s (iat ${iat}, ${at})`);
  }
  // RFC 7519 §4.1.5: the token "MUST NOT be accepted for processing" before nbf.
  if (nbf !== undefined && nbf > now + skew) {
    throw new TimeClaimError('nbf', `the token is not valid for another ${nbf - now} s (nbf ${nbf}, ${at})`);
  }
  if (authTime !== undefined) {
    // The user cannot have signed in after the token was issued, nor in the future.
    if (authTime > now + skew || authTime > iat + skew) {
      throw new TimeClaimError('auth_time', `the sign-in time lies in the future (auth_time ${authTime}, iat ${iat}, ${at})`);
    }
    // §3.1.2.1 max_age: "the OP MUST actively re-authenticate the End-User" when the last sign-in is older.
    if (maxAuthAge !== undefined && authTime + maxAuthAge < now - skew) {
      throw new TimeClaimError(
        'auth_time',
        `the user signed in ${now - authTime} s ago, longer than max_age ${maxAuthAge} s (auth_time ${authTime}, ${at})`,
      );
    }
  }
}

function readTime(claims: Record<string, unknown>, claim: TimeClaimError['claim'], required: boolean): number | undefined {
  const value = claims[claim];
  if (value === undefined) {
    if (required) throw new TimeClaimError(claim, `the token has no \`${claim}\` claim`);
    return undefined;
  }
  // RFC 7519 §2 NumericDate; JSON.parse turns 1e400 into Infinity, which would never expire.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TimeClaimError(claim, `the token's \`${claim}\` claim is not a number of seconds (${JSON.stringify(value)})`);
  }
  return value;
}
