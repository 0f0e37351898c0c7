import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { JWT, JWTDecodeParams, JWTEncodeParams, JWTOptions } from 'next-auth/jwt';
import { createTtlCache } from '../store/ttl-cache';
import { DEFAULT_SESSION_MAX_AGE_SECONDS } from './settings';

/** Clock skew next-auth's decode allows on `exp` and `nbf`, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 15;
// Secrets a process keeps derived keys for; an app has one (two while rotating), the bound only stops misuse.
const MAX_CACHED_KEYS = 8;
// The protected header next-auth (jose) writes, `{"alg":"dir","enc":"A256GCM"}` in base64url; as the JWE's
// Additional Authenticated Data it is covered by the GCM tag (RFC 7516 §5.1 step 14).
const PROTECTED_HEADER = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');
const AAD = Buffer.from(PROTECTED_HEADER, 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Decrypted cookies kept per codec, and for how long (see `opened` below).
const MAX_OPENED_COOKIES = 1000;
const OPENED_COOKIE_MAX_AGE_MS = 60_000;

/** The session cookie's codec: what `authOptions.jwt.encode` / `jwt.decode` take. */
export type SessionJwtCodec = Pick<JWTOptions, 'encode' | 'decode'>;

// next-auth 4.24 passes a cookie-name `salt` (derived key info); 4.22 and 4.23 have none and derive with "".
type SaltParam = { salt?: string };

/**
 * Why a session cookie was refused; next-auth logs it as JWT_SESSION_ERROR and clears the cookie. `code` is
 * the one jose gives the same failure, so log lines read as they did with next-auth's own decode.
 */
export class SessionJwtError extends Error {
  override name = 'SessionJwtError';
  constructor(
    message: string,
    readonly code: 'ERR_JWE_INVALID' | 'ERR_JWE_DECRYPTION_FAILED' | 'ERR_JWT_CLAIM_VALIDATION_FAILED' | 'ERR_JWT_EXPIRED',
  ) {
    super(message);
  }
}

/**
 * next-auth v4's session JWT (compact JWE, `dir` + A256GCM, key from HKDF-SHA256 of the secret, claims
 * iat/exp/jti), with the derived key kept per secret and salt instead of derived again on every encode and
 * decode. Cookies stay interchangeable with next-auth's own `encode` / `decode` (next-auth/src/jwt/index.ts).
 * For this one fixed format node:crypto's AES-256-GCM is called directly: jose's general JWE path took about
 * half again as long per cookie, twice per session read; decode accepts only the exact header next-auth writes.
 */
export function createSessionJwt(): SessionJwtCodec {
  const keys = new Map<string, Buffer>();

  // Cookies opened lately, by their exact text: a browser sends the same cookie with every request until it
  // changes, and AES-GCM's setup was most of a session read's cost. A hit is a byte-identical cookie that
  // opened with the same key, so anything altered still goes through AES-GCM and its tag; the time claims
  // are checked on every read. Bounded in number and age: plaintext tokens stay in memory one minute at most.
  const opened = createTtlCache<{ keyId: string; plaintext: string }>({ maxEntries: MAX_OPENED_COOKIES });

  function keyIdOf(secret: string | Buffer, salt: string): string {
    return `${salt}\0${typeof secret === 'string' ? `s:${secret}` : `b:${secret.toString('base64')}`}`;
  }

  function encryptionKey(secret: string | Buffer, salt: string): Buffer {
    const id = keyIdOf(secret, salt);
    let key = keys.get(id);
    if (!key) {
      key = Buffer.from(deriveEncryptionKey(secret, salt));
      if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value!);
      keys.set(id, key);
    }
    return key;
  }

  return {
    async encode({ token = {}, secret, maxAge = DEFAULT_SESSION_MAX_AGE_SECONDS, salt = '' }: JWTEncodeParams & SaltParam): Promise<string> {
      if (!isClaimsObject(token)) throw new TypeError('The session token must be a JSON object');
      const nowSeconds = Math.floor(Date.now() / 1000);
      // The claims next-auth sets, in its order; claims already in the token keep their place (as with jose).
      const claims = { ...token, iat: nowSeconds, exp: nowSeconds + maxAge, jti: randomUUID() };
      // A fresh random 96-bit IV per cookie, as jose does (NIST SP 800-38D §8.2.2).
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret, salt), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(AAD);
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
      // RFC 7516 §7.1: header . encrypted key (empty for "dir") . IV . ciphertext . tag
      return `${PROTECTED_HEADER}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
    },
    async decode({ token, secret, salt = '' }: JWTDecodeParams & SaltParam): Promise<JWT | null> {
      if (!token) return null;
      const keyId = keyIdOf(secret, salt);
      const seen = opened.get(token);
      if (seen?.keyId === keyId) return readClaims(seen.plaintext);
      const parts = token.split('.');
      if (parts.length !== 5) throw new SessionJwtError('Invalid Compact JWE', 'ERR_JWE_INVALID');
      const [header, encryptedKey, iv = '', ciphertext = '', tag = ''] = parts;
      // Only what next-auth writes: "dir" with A256GCM, nothing else in the header (no "zip", no "crit").
      if (header !== PROTECTED_HEADER || encryptedKey !== '') {
        throw new SessionJwtError('Unexpected JWE header: next-auth writes {"alg":"dir","enc":"A256GCM"}', 'ERR_JWE_INVALID');
      }
      if (![iv, ciphertext, tag].every((part) => BASE64URL.test(part))) throw new SessionJwtError('Invalid Compact JWE', 'ERR_JWE_INVALID');
      const ivBytes = Buffer.from(iv, 'base64url');
      const tagBytes = Buffer.from(tag, 'base64url');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new SessionJwtError('Invalid JWE IV or tag length', 'ERR_JWE_INVALID');
      let plaintext: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', encryptionKey(secret, salt), ivBytes, { authTagLength: TAG_BYTES });
        decipher.setAAD(AAD);
        decipher.setAuthTag(tagBytes);
        plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // Changed in transit or by hand, or written with another NEXTAUTH_SECRET.
        throw new SessionJwtError('decryption operation failed', 'ERR_JWE_DECRYPTION_FAILED');
      }
      const claims = readClaims(plaintext);
      opened.set(token, { keyId, plaintext }, OPENED_COOKIE_MAX_AGE_MS);
      return claims;
    },
  };
}

/** The claims of a decrypted cookie, a new object each time (callbacks change the token they get), time claims checked. */
function readClaims(plaintext: string): JWT {
  const claims: unknown = JSON.parse(plaintext);
  if (!isClaimsObject(claims)) throw new SessionJwtError('JWT Claims Set must be a top-level JSON object', 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  checkNextAuthTimeClaims(claims);
  return claims;
}

// jose's checks for a JWT without issuer/audience options (lib/jwt_claims_set.ts), which next-auth's decode relies on.
function checkNextAuthTimeClaims(claims: Record<string, unknown>): void {
  const nowSeconds = Math.floor(Date.now() / 1000);
  for (const name of ['iat', 'nbf', 'exp']) {
    if (claims[name] !== undefined && typeof claims[name] !== 'number') throw new SessionJwtError(`"${name}" claim must be a number`, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  }
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
    throw new SessionJwtError('"nbf" claim timestamp check failed', 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  }
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds - CLOCK_TOLERANCE_SECONDS) {
    throw new SessionJwtError('"exp" claim timestamp check failed', 'ERR_JWT_EXPIRED');
  }
}

function isClaimsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The 32-byte content encryption key next-auth v4 derives from the secret: HKDF-SHA256 with `salt` and the info
 * "NextAuth.js Generated Encryption Key" (plus " (<salt>)" when there is a salt).
 */
export function deriveEncryptionKey(secret: string | Buffer, salt = ''): Uint8Array {
  // @panva/hkdf, which next-auth uses, refuses empty key material; so does this.
  if (secret.length === 0) throw new TypeError('The session secret is empty: set NEXTAUTH_SECRET (openssl rand -base64 32)');
  const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ''}`;
  return new Uint8Array(hkdfSync('sha256', secret, salt, info, 32));
}
