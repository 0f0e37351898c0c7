import { hkdfSync, randomUUID } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { JWT, JWTDecodeParams, JWTEncodeParams, JWTOptions } from 'next-auth/jwt';

/** next-auth v4's default session lifetime, in seconds (30 days); `jwt.maxAge` and `session.maxAge` override it. */
const DEFAULT_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
// Secrets a process keeps derived keys for; an app has one (two while rotating), the bound only stops misuse.
const MAX_CACHED_KEYS = 8;

/** The session cookie's codec: what `authOptions.jwt.encode` / `jwt.decode` take. */
export type SessionJwtCodec = Pick<JWTOptions, 'encode' | 'decode'>;

/**
 * next-auth v4's session JWT (JWE, `dir` + A256GCM, key from HKDF-SHA256 of the secret, claims iat/exp/jti),
 * with the derived key kept per secret and salt instead of derived again on every encode and decode.
 * Cookies stay interchangeable with next-auth's own `encode` / `decode` (next-auth/src/jwt/index.ts).
 */
export function createSessionJwt(): SessionJwtCodec {
  const keys = new Map<string, Uint8Array>();

  function encryptionKey(secret: string | Buffer, salt: string): Uint8Array {
    const id = `${salt}\0${typeof secret === 'string' ? `s:${secret}` : `b:${secret.toString('base64')}`}`;
    let key = keys.get(id);
    if (!key) {
      key = deriveEncryptionKey(secret, salt);
      if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value!);
      keys.set(id, key);
    }
    return key;
  }

  return {
    async encode({ token = {}, secret, maxAge = DEFAULT_MAX_AGE_SECONDS, salt = '' }: JWTEncodeParams): Promise<string> {
      const nowSeconds = Math.floor(Date.now() / 1000);
      return new EncryptJWT(token)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + maxAge)
        .setJti(randomUUID())
        .encrypt(encryptionKey(secret, salt));
    },
    async decode({ token, secret, salt = '' }: JWTDecodeParams): Promise<JWT | null> {
      if (!token) return null;
      const { payload } = await jwtDecrypt(token, encryptionKey(secret, salt), {
        // next-auth's own tolerance; and only what `encode` writes is accepted (A128CBC-HS256 takes a 32-byte key too).
        clockTolerance: 15,
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      return payload as JWT;
    },
  };
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
