import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { checkTimeClaims, CLOCK_SKEW_SECONDS, TimeClaimError } from '../oidc/time-claims';

/** What an API route demands of a Logto access token. */
export interface AccessTokenRequirements {
  /** The API resource indicator the token must be for (`aud`). */
  audience: string;
  /** Permissions the token's `scope` must all contain, e.g. `['read:books']`. */
  scopes?: string[];
  /** When set, the token must have been issued for this organization (`organization_id` claim). */
  organizationId?: string;
}

/** The claims of a verified Logto access token. */
export type LogtoAccessTokenClaims = JWTPayload & { scope?: string; client_id?: string; organization_id?: string };

/** The outcome of {@link verifyBearerToken}: the claims, or the RFC 6750 error to answer with. */
export type BearerVerdict =
  | { ok: true; claims: LogtoAccessTokenClaims }
  | {
      ok: false;
      /** 401 `invalid_token`, 403 `insufficient_scope`, or 503 when the issuer's keys could not be fetched. */
      status: 401 | 403 | 503;
      error: 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';
      /** Safe to show: never contains the token. */
      description: string;
    };

/** Where {@link verifyBearerToken} gets the issuer and its keys. */
export interface BearerVerifierContext {
  /** AUTH_LOGTO_ISSUER: the token's `iss` must equal it. */
  issuer: string;
  /** The issuer's signing keys, e.g. jose's `createRemoteJWKSet` (cached per process, refetched for an unknown kid). */
  keys: JWTVerifyGetKey;
  /** The algs Logto signs with; ES384 unless the tenant rotated to RSA keys. */
  algorithms?: string[];
}

const LOGTO_ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * Verifies `Authorization: Bearer <Logto JWT access token>` as Logto documents: signature (ES384) from the
 * issuer's JWKS, `typ` at+jwt (RFC 9068), `iss`, `aud` = the resource, `exp`, `iat` and `nbf` with the kit's one
 * clock skew, then the scopes and organization. Malformed input is answered before any key is fetched.
 * @see https://datatracker.ietf.org/doc/html/rfc6750#section-3.1
 */
export async function verifyBearerToken(
  authorization: string | string[] | undefined,
  requirements: AccessTokenRequirements,
  context: BearerVerifierContext,
): Promise<BearerVerdict> {
  const invalid = (description: string): BearerVerdict => ({ ok: false, status: 401, error: 'invalid_token', description });
  const algorithms = context.algorithms ?? ['ES384'];
  if (typeof authorization !== 'string' || authorization === '') return invalid('Send Authorization: Bearer <access token>');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  if (!match) return invalid('The Authorization header is not "Bearer <token>"');
  const jwt = match[1] ?? '';

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    return invalid('The access token is not a JWT: request one for this API resource');
  }
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) {
    return invalid(`The access token is signed with ${String(header.alg)}, not ${algorithms.join(' or ')}`);
  }

  let claims: LogtoAccessTokenClaims;
  try {
    ({ payload: claims } = await jwtVerify(jwt, context.keys, {
      issuer: context.issuer,
      audience: requirements.audience,
      algorithms,
      typ: LOGTO_ACCESS_TOKEN_TYPE,
      // RFC 9068 §2.2: exp, sub and iat are REQUIRED in a JWT access token.
      requiredClaims: ['exp', 'iat', 'sub'],
      // jose checks exp and nbf with the kit's one skew; checkTimeClaims adds iat, which jose leaves unchecked.
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
    checkTimeClaims(claims);
  } catch (error) {
    if (error instanceof TimeClaimError) return invalid(describeTimeClaimError(error));
    if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
      return { ok: false, status: 503, error: 'temporarily_unavailable', description: 'The signing keys of the issuer could not be fetched' };
    }
    return invalid(describeJoseError(error));
  }

  if (requirements.organizationId !== undefined && claims.organization_id !== requirements.organizationId) {
    return invalid('The access token was not issued for this organization');
  }
  const granted = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);
  const missing = (requirements.scopes ?? []).filter((scope) => !granted.has(scope));
  if (missing.length > 0) {
    return { ok: false, status: 403, error: 'insufficient_scope', description: `The access token lacks the scope ${missing.join(' ')}` };
  }
  return { ok: true, claims };
}

/** The `WWW-Authenticate` value for a refused request (RFC 6750 §3), e.g. `Bearer error="insufficient_scope", scope="read:books"`. */
export function bearerChallenge(verdict: BearerVerdict & { ok: false }, requirements: AccessTokenRequirements): string {
  // RFC 6750 §3: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
  const description = verdict.description.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
  const params = [`error="${verdict.error}"`, `error_description="${description}"`];
  if (verdict.error === 'insufficient_scope' && requirements.scopes?.length) params.push(`scope="${requirements.scopes.join(' ')}"`);
  return `Bearer ${params.join(', ')}`;
}

function describeJoseError(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The access token is for another API resource (aud)';
    if (error.claim === 'iss') return 'The access token is from another issuer (iss)';
    if (error.claim === 'typ') return 'The access token is not of type at+jwt';
    if (error.claim === 'nbf') return `The access token is not valid yet (nbf), even with the ${CLOCK_SKEW_SECONDS} s allowed clock skew`;
    return `The access token's ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The signature of the access token does not verify with the keys of the issuer';
  }
  return 'The access token is invalid';
}

function describeTimeClaimError(error: TimeClaimError): string {
  const skew = `even with the ${CLOCK_SKEW_SECONDS} s allowed clock skew`;
  if (error.claim === 'iat') return `The access token was issued in the future or after it expired (iat), ${skew}`;
  if (error.claim === 'nbf') return `The access token is not valid yet (nbf), ${skew}`;
  if (error.claim === 'exp') return 'The access token has expired';
  return `The access token's ${error.claim} claim does not fit this server's clock, ${skew}`;
}
