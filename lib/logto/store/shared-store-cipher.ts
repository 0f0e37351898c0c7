import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Seals values before they go to Redis and names keys without revealing what they were derived from. */
export interface SharedStoreCipher {
  /** AES-256-GCM with a random 96-bit IV; `context` (e.g. the Redis key) is authenticated, not stored. */
  seal(plaintext: string, context: string): string;
  /** Inverse of {@link SharedStoreCipher.seal}; throws when the value was altered, moved to another key, or sealed with another secret. */
  open(sealed: string, context: string): string;
  /** A keyed hash (HMAC-SHA256, base64url): the same input gives the same Redis key on every instance. */
  hashKey(input: string): string;
}

const FORMAT = 'v1';

/**
 * Derives the cipher's keys from NEXTAUTH_SECRET with HKDF-SHA256 (RFC 5869), with `info` strings of
 * their own, so they differ from the key next-auth derives for the session cookie from the same secret.
 */
export function createSharedStoreCipher(secret: string): SharedStoreCipher {
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', secret, 'logto-next-auth shared store', info, 32));
  const encryptionKey = derive('logto-next-auth shared store AES-256-GCM encryption key');
  const hashingKey = derive('logto-next-auth shared store key hashing key');

  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.from(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [format, iv, ciphertext, tag] = sealed.split('.');
      if (format !== FORMAT || !iv || ciphertext === undefined || !tag) {
        throw new Error('The shared store holds a value in an unknown format');
      }
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'), {
        authTagLength: 16,
      });
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(
          'A value in Redis does not decrypt: do all instances share the same NEXTAUTH_SECRET? (or the value was altered)',
        );
      }
    },
    hashKey(input) {
      return createHmac('sha256', hashingKey).update(input).digest('base64url');
    },
  };
}
