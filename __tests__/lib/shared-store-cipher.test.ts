import { createSharedStoreCipher } from '@/lib/logto/store/shared-store-cipher';

const SECRET = 'fixture-secret-fixture-secret-fixture-secret';
const KEY = 'logto-next-auth:refresh:some-hash';

describe('createSharedStoreCipher', () => {
  it('opens what it sealed, and the sealed value shows neither the plaintext nor its base64', () => {
    const cipher = createSharedStoreCipher(SECRET);
    const plaintext = JSON.stringify({ accessToken: 'access-token-secret' });

    const sealed = cipher.seal(plaintext, KEY);

    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(sealed).not.toContain('access-token-secret');
    expect(sealed).not.toContain(Buffer.from(plaintext).toString('base64url').slice(0, 20));
    expect(cipher.open(sealed, KEY)).toBe(plaintext);
  });

  it('uses a fresh IV each time', () => {
    const cipher = createSharedStoreCipher(SECRET);

    expect(cipher.seal('same', KEY)).not.toBe(cipher.seal('same', KEY));
  });

  it('refuses a value sealed with another NEXTAUTH_SECRET, and says to check the secret', () => {
    const sealed = createSharedStoreCipher(`${SECRET}-other`).seal('value', KEY);

    expect(() => createSharedStoreCipher(SECRET).open(sealed, KEY)).toThrow(/same NEXTAUTH_SECRET/);
  });

  it('refuses a value moved to another key, altered, or in an unknown format', () => {
    const cipher = createSharedStoreCipher(SECRET);
    const sealed = cipher.seal('value', KEY);
    const [format, iv, ciphertext, tag] = sealed.split('.');
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] ^= 1;

    expect(() => cipher.open(sealed, `${KEY}-other`)).toThrow(/does not decrypt/);
    expect(() => cipher.open([format, iv, flipped.toString('base64url'), tag].join('.'), KEY)).toThrow(/does not decrypt/);
    expect(() => cipher.open('plain text', KEY)).toThrow(/unknown format/);
  });

  it('hashes a key the same way on every instance with the same secret, and differently with another', () => {
    const hash = createSharedStoreCipher(SECRET).hashKey('refresh-token-1');

    expect(createSharedStoreCipher(SECRET).hashKey('refresh-token-1')).toBe(hash);
    expect(createSharedStoreCipher(`${SECRET}-other`).hashKey('refresh-token-1')).not.toBe(hash);
    expect(hash).toMatch(/^[\w-]{43}$/);
  });
});
