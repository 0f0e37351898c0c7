import { fail, pass, skip, type CheckResult } from './check-result';
import { probe, ProbeError, type ProbeAnswer, type ProbeContext } from './http-probe';

/** The OpenID Provider metadata fields the doctor reads (OpenID Connect Discovery 1.0 §3). */
export interface ProviderMetadata {
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  jwks_uri?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  id_token_signing_alg_values_supported?: string[];
  backchannel_logout_supported?: boolean;
  [field: string]: unknown;
}

/** The discovery line, plus what later checks need: the metadata and the answer (for its `Date`). */
export interface DiscoveryOutcome {
  result: CheckResult;
  metadata?: ProviderMetadata;
  answer?: ProbeAnswer;
}

/** The `/.well-known/openid-configuration` URL next-auth's `wellKnown` uses for `issuer`. */
export function discoveryUrlOf(issuer: string): string {
  return `${issuer}/.well-known/openid-configuration`;
}

/**
 * Fetches the discovery document the way the provider's `wellKnown` does and compares its `issuer` with
 * AUTH_LOGTO_ISSUER; when that answers no document and lacks `/oidc`, tries `${issuer}/oidc` for the hint.
 */
export async function checkDiscovery(issuer: string | undefined, context: ProbeContext): Promise<DiscoveryOutcome> {
  if (issuer === undefined || !/^https?:$/.test(URL.parse(issuer)?.protocol ?? '')) {
    return { result: skip('discovery', 'not run: AUTH_LOGTO_ISSUER is missing or not an http(s) URL') };
  }
  const trimmed = issuer.replace(/\/+$/, '');
  const url = discoveryUrlOf(trimmed);
  let answer: ProbeAnswer;
  try {
    answer = await probe(url, { headers: { accept: 'application/json' } }, context);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return { result: fail('discovery', `${url}: ${error.message}`, error.fix) };
  }

  const metadata = answer.json as ProviderMetadata | undefined;
  if (answer.status !== 200 || typeof metadata?.issuer !== 'string') {
    const found = /\/oidc$/.test(trimmed) ? undefined : await findOidcIssuer(trimmed, context);
    if (found) {
      return {
        result: fail(
          'discovery',
          `${url} answered ${answer.status}, not a discovery document; ${discoveryUrlOf(`${trimmed}/oidc`)} has one`,
          `set AUTH_LOGTO_ISSUER=${found.metadata.issuer} (your Logto endpoint followed by /oidc)`,
        ),
        ...found,
      };
    }
    return {
      result: fail(
        'discovery',
        `${url} answered ${answer.status}, not a discovery document`,
        'set AUTH_LOGTO_ISSUER to the "Issuer endpoint" in Logto Console → Applications → your app (it ends in /oidc)',
      ),
    };
  }
  if (metadata.issuer !== issuer) {
    return {
      result: fail(
        'discovery',
        `the tenant's issuer is ${metadata.issuer}, AUTH_LOGTO_ISSUER is ${issuer}; openid-client rejects every ID token`,
        `set AUTH_LOGTO_ISSUER=${metadata.issuer}`,
      ),
      metadata,
      answer,
    };
  }
  return { result: pass('discovery', `${url} answers; its issuer matches AUTH_LOGTO_ISSUER`), metadata, answer };
}

async function findOidcIssuer(base: string, context: ProbeContext) {
  try {
    const answer = await probe(discoveryUrlOf(`${base}/oidc`), { headers: { accept: 'application/json' } }, context);
    const metadata = answer.json as ProviderMetadata | undefined;
    return answer.status === 200 && typeof metadata?.issuer === 'string' ? { metadata, answer } : undefined;
  } catch {
    return undefined;
  }
}

/** The JWK `kty` (and `crv`) a key must have to verify `alg` (RFC 7518 §3.1, RFC 8037 §3.1). */
const KEY_TYPE_OF_ALG: Record<string, { kty: string; crv?: string[] }> = {
  ES256: { kty: 'EC', crv: ['P-256'] },
  ES384: { kty: 'EC', crv: ['P-384'] },
  ES512: { kty: 'EC', crv: ['P-521'] },
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: ['Ed25519', 'Ed448'] },
};

/**
 * ✓ when the tenant advertises AUTH_LOGTO_ID_TOKEN_ALG in `id_token_signing_alg_values_supported` and its
 * JWKS holds a signing key for it (ES384 → an EC P-384 key).
 */
export async function checkIdTokenAlg(
  alg: string | undefined,
  metadata: ProviderMetadata | undefined,
  context: ProbeContext,
): Promise<CheckResult> {
  if (!metadata) return skip('id-token-alg', 'not run: no discovery document');
  if (alg === undefined) return skip('id-token-alg', 'not run: AUTH_LOGTO_ID_TOKEN_ALG is malformed (see the environment line)');
  const advertised = metadata.id_token_signing_alg_values_supported ?? [];
  if (!advertised.includes(alg)) {
    const suggestion = advertised.find((candidate) => candidate in KEY_TYPE_OF_ALG);
    return fail(
      'id-token-alg',
      `the app expects ${alg}; the tenant signs ID tokens with ${advertised.join(', ') || '(nothing advertised)'}`,
      suggestion
        ? `set AUTH_LOGTO_ID_TOKEN_ALG=${suggestion}${suggestion === 'ES384' ? ' (or leave it empty: ES384 is the default)' : ''}`
        : 'check that AUTH_LOGTO_ISSUER is a Logto tenant',
    );
  }
  if (!metadata.jwks_uri) return fail('id-token-alg', 'the discovery document has no jwks_uri', 'check that AUTH_LOGTO_ISSUER is a Logto tenant');

  let answer: ProbeAnswer;
  try {
    answer = await probe(metadata.jwks_uri, { headers: { accept: 'application/json' } }, context);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return fail('id-token-alg', `${metadata.jwks_uri}: ${error.message}`, error.fix);
  }
  const keys = Array.isArray(answer.json?.keys) ? (answer.json.keys as Record<string, unknown>[]) : undefined;
  if (answer.status !== 200 || !keys) {
    return fail('id-token-alg', `${metadata.jwks_uri} answered ${answer.status}, not a JWKS`, 'check the tenant: its jwks_uri must serve its public keys');
  }
  const wanted = KEY_TYPE_OF_ALG[alg];
  const key = keys.find(
    (candidate) =>
      candidate.kty === wanted.kty &&
      (!wanted.crv || wanted.crv.includes(candidate.crv as string)) &&
      (candidate.alg === undefined || candidate.alg === alg) &&
      (candidate.use === undefined || candidate.use === 'sig'),
  );
  if (!key) {
    const have = keys.map((candidate) => [candidate.kty, candidate.crv, candidate.alg].filter(Boolean).join(' ')).join(', ');
    return fail(
      'id-token-alg',
      `the JWKS has no ${wanted.kty}${wanted.crv ? ` ${wanted.crv.join('/')}` : ''} key for ${alg} (it has: ${have || 'no keys'})`,
      'in Logto Console → Tenant settings → Signing keys, rotate to a key of the type you expect, or set AUTH_LOGTO_ID_TOKEN_ALG to match the key',
    );
  }
  return pass('id-token-alg', `${alg} is advertised and the JWKS has an ${wanted.kty}${wanted.crv ? ` ${key.crv}` : ''} key for it`);
}

/** ✓ when discovery lists `revocation_endpoint` (sign-out revokes the refresh token) and `end_session_endpoint`. */
export function checkLogoutEndpoints(metadata: ProviderMetadata | undefined): CheckResult {
  if (!metadata) return skip('logout-endpoints', 'not run: no discovery document');
  const missing = (['revocation_endpoint', 'end_session_endpoint'] as const).filter((field) => typeof metadata[field] !== 'string');
  if (missing.length > 0) {
    return fail(
      'logout-endpoints',
      `the discovery document has no ${missing.join(' and ')}: sign-out cannot ${missing.includes('revocation_endpoint') ? 'revoke the refresh token' : 'end the Logto session'}`,
      'point AUTH_LOGTO_ISSUER at a Logto tenant (Logto always has both); a proxy in front of Logto must not rewrite discovery',
    );
  }
  return pass('logout-endpoints', 'revocation_endpoint and end_session_endpoint are advertised');
}

/** The skew the kit allows on ID token time claims (lib/logto/oidc/discovery-cache.ts sets clock_tolerance = 10 s). */
export const CLOCK_SKEW_LIMIT_SECONDS = 10;

/** ✓ when this machine's clock is within {@link CLOCK_SKEW_LIMIT_SECONDS} of the issuer's `Date` header. */
export function checkClockSkew(answer: ProbeAnswer | undefined): CheckResult {
  if (!answer) return skip('clock-skew', 'not run: the issuer did not answer');
  const date = Date.parse(answer.headers.get('date') ?? '');
  if (Number.isNaN(date)) return skip('clock-skew', 'not run: the issuer sent no Date header');
  // `Date` has whole seconds (RFC 9110 §5.6.7), cut off: the issuer's clock is half a second later on average.
  const skew = (date + 500 - answer.receivedAt) / 1000;
  const shown = `${Math.abs(skew).toFixed(1)} s`;
  if (Math.abs(skew) > CLOCK_SKEW_LIMIT_SECONDS) {
    return fail(
      'clock-skew',
      `this machine's clock is ${shown} ${skew > 0 ? 'behind' : 'ahead of'} the issuer's (limit ${CLOCK_SKEW_LIMIT_SECONDS} s): ID tokens will look ${skew > 0 ? 'issued in the future' : 'expired'}`,
      'synchronise the clock with NTP (e.g. timedatectl set-ntp true, or chrony) on this machine',
    );
  }
  return pass('clock-skew', `${shown} (limit ${CLOCK_SKEW_LIMIT_SECONDS} s, measured to ±0.5 s)`);
}
