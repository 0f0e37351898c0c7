import {
  errors,
  jwtVerify,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { CLOCK_SKEW_SECONDS } from '../oidc/time-claims';

/** The `events` member that makes a JWT a logout token (Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * How old a logout token may be, in seconds. Logto before 1.42 sends no `exp` (1.42 sends `exp = iat + 120`), and
 * sends at once (it waits at most 2.5 s for the answer), so age is bounded by `iat`; 120 s is oidc-provider's lifetime.
 */
export const LOGOUT_TOKEN_MAX_AGE_SECONDS = 120;

/** What a valid logout token names: the session (`sid`), the user (`sub`), or both. */
export interface LogoutTokenClaims {
  jti: string;
  /** When Logto issued the token, epoch seconds. */
  iat: number;
  sub?: string;
  sid?: string;
}

/** What {@link verifyLogoutToken} checks a token against. */
export interface LogoutTokenExpectations {
  /** The issuer identifier (`AUTH_LOGTO_ISSUER`, as discovered). */
  issuer: string;
  /** This app's client id (`AUTH_LOGTO_ID`): the token's `aud`. */
  clientId: string;
  /** The one alg accepted (`AUTH_LOGTO_ID_TOKEN_ALG`), as for id_tokens. */
  algorithm: string;
  /** The issuer's public keys, e.g. {@link createIssuerKeys}. */
  keys: JWTVerifyGetKey;
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/** Why a logout token was refused; its message is the `error_description` of the 400 answer. */
export class LogoutTokenError extends Error {
  override name = 'LogoutTokenError';
}

/**
 * Validates a logout token as OIDC Back-Channel Logout 1.0 §2.6 asks: signature with the issuer's keys and the
 * configured alg, `typ`, `iss`, `aud`, `iat` (and `exp` when present), `events`, `sub` or `sid`, no `nonce`,
 * and a `jti` (replay is checked by the caller). Throws {@link LogoutTokenError} naming the first failed rule.
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#Validation
 */
export async function verifyLogoutToken(token: string, expected: LogoutTokenExpectations): Promise<LogoutTokenClaims> {
  let payload: JWTPayload;
  try {
    let protectedHeader: JWTHeaderParameters;
    ({ payload, protectedHeader } = await jwtVerify(token, expected.keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: [expected.algorithm],
      // The kit's one skew, as for id_tokens and access tokens.
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(expected.now?.() ?? Date.now()),
      // §2.4 makes `exp` required, but Logto < 1.42 sends none: `maxTokenAge` bounds the age by `iat` instead,
      // and jose still enforces an `exp` that is present (Logto 1.42).
      maxTokenAge: LOGOUT_TOKEN_MAX_AGE_SECONDS,
      requiredClaims: ['iat', 'jti'],
    }));
    checkType(protectedHeader.typ);
  } catch (error) {
    throw new LogoutTokenError(describeJoseError(error), { cause: error });
  }
  // §2.6 step 4: "Verify that the Logout Token contains a sub Claim, a sid Claim, or both."
  const sub = nonEmptyString(payload.sub);
  const sid = nonEmptyString(payload.sid);
  if (sub === undefined && sid === undefined) throw new LogoutTokenError('the logout token names neither sub nor sid');
  if ((payload.sub !== undefined && sub === undefined) || (payload.sid !== undefined && sid === undefined)) {
    throw new LogoutTokenError('sub and sid must be non-empty strings');
  }
  // §2.6 step 5: "Verify that the Logout Token contains an events Claim whose value is JSON object containing
  // the member name http://schemas.openid.net/event/backchannel-logout."
  const events = payload.events;
  if (!isObject(events) || !isObject(events[BACKCHANNEL_LOGOUT_EVENT])) {
    throw new LogoutTokenError(`the events claim has no ${BACKCHANNEL_LOGOUT_EVENT} member (an object)`);
  }
  // §2.6 step 6: "Verify that the Logout Token does not contain a nonce Claim." (an id_token is not a logout token)
  if ('nonce' in payload) throw new LogoutTokenError('the logout token carries a nonce');
  const jti = nonEmptyString(payload.jti);
  if (jti === undefined) throw new LogoutTokenError('jti must be a non-empty string');
  return { jti, iat: payload.iat!, ...(sub !== undefined && { sub }), ...(sid !== undefined && { sid }) };
}

// §2.4: "Use of explicit typing is RECOMMENDED" with typ `logout+jwt`. Logto sends it; a token without `typ`
// is accepted (the spec does not require it), a token typed as anything else (an id_token's `JWT`, an access
// token's `at+jwt`) is refused, against cross-JWT confusion (RFC 8725 §3.11).
// Media types compare case-insensitively, with or without `application/` (RFC 7515 §4.1.9).
function checkType(typ: string | undefined): void {
  if (typ === undefined) return;
  if (typ.toLowerCase().replace(/^application\//, '') !== 'logout+jwt') {
    throw new LogoutTokenError(`typ must be logout+jwt, got ${JSON.stringify(typ)}`);
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof LogoutTokenError) return error.message;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify with Logto\'s keys';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key in Logto\'s JWKS matches the token\'s kid and alg';
  if (error instanceof errors.JOSEAlgNotAllowed) return `the token is not signed with the configured alg: ${error.message}`;
  if (error instanceof errors.JWTExpired) return `the logout token is too old or expired: ${error.message}`;
  if (error instanceof errors.JWTClaimValidationFailed) return `the ${error.claim} claim is invalid: ${error.message}`;
  if (error instanceof errors.JWKSTimeout) return 'Logto\'s JWKS did not answer in time';
  if (error instanceof errors.JOSEError) return `not a valid signed JWT: ${error.message}`;
  return `could not verify the logout token: ${error instanceof Error ? error.message : String(error)}`;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
