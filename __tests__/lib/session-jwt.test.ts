import crypto from 'node:crypto';
import { base64url, decodeProtectedHeader } from 'jose';
import { decode as nextAuthDecode, encode as nextAuthEncode, type JWT } from 'next-auth/jwt';
import { createSessionJwt, deriveEncryptionKey } from '@/lib/logto/next-auth/session-jwt';

const SECRET = 'session-jwt-test-secret-0123456789abcdef';
const OTHER_SECRET = 'session-jwt-other-secret-0123456789abcde';
const TOKEN: JWT = {
  sub: 'user-1',
  name: 'Ada',
  email: null,
  provider: 'logto',
  accessToken: 'access-token',
  expiresAt: 1_900_000_000,
  refreshToken: 'refresh-token',
};

/** Replaces one character of a JWE segment (0 header … 4 tag) so that the cookie is no longer what was issued. */
function tamper(jwe: string, segment: number): string {
  const parts = jwe.split('.');
  const bytes = base64url.decode(parts[segment]);
  bytes[0] ^= 0x01;
  parts[segment] = base64url.encode(bytes);
  return parts.join('.');
}

describe('createSessionJwt', () => {
  afterEach(() => jest.useRealTimers());

  it('writes cookies that next-auth’s own decode reads, with the same claims', async () => {
    const { encode } = createSessionJwt();
    const before = Math.floor(Date.now() / 1000);

    const cookie = await encode({ token: TOKEN, secret: SECRET, maxAge: 3600 });
    const payload = await nextAuthDecode({ token: cookie, secret: SECRET });

    expect(decodeProtectedHeader(cookie)).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(payload).toMatchObject(TOKEN);
    expect(Object.keys(payload!)).toEqual([...Object.keys(TOKEN), 'iat', 'exp', 'jti']);
    expect(payload!.iat).toBeGreaterThanOrEqual(before);
    expect(payload!.exp).toBe((payload!.iat as number) + 3600);
    expect(payload!.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('orders the claims as next-auth does when re-encoding a decoded token', async () => {
    const { encode } = createSessionJwt();
    const decoded = (await nextAuthDecode({ token: await nextAuthEncode({ token: TOKEN, secret: SECRET }), secret: SECRET }))!;

    const ours = await nextAuthDecode({ token: await encode({ token: decoded, secret: SECRET }), secret: SECRET });
    const theirs = await nextAuthDecode({ token: await nextAuthEncode({ token: decoded, secret: SECRET }), secret: SECRET });

    expect(Object.keys(ours!)).toEqual(Object.keys(theirs!));
    expect(ours!.jti).not.toBe(decoded.jti);
  });

  it('reads cookies that next-auth’s own encode wrote', async () => {
    const { decode } = createSessionJwt();
    const cookie = await nextAuthEncode({ token: TOKEN, secret: SECRET });

    await expect(decode({ token: cookie, secret: SECRET })).resolves.toMatchObject(TOKEN);
  });

  it('derives the key next-auth derives, with and without a salt, for string and Buffer secrets', async () => {
    const { encode, decode } = createSessionJwt();
    const salt = 'authjs.session-token';
    const fromNextAuth = await nextAuthEncode({ token: TOKEN, secret: Buffer.from(SECRET), salt });

    await expect(decode({ token: fromNextAuth, secret: SECRET, salt })).resolves.toMatchObject(TOKEN);
    await expect(decode({ token: fromNextAuth, secret: SECRET })).rejects.toThrow();
    const ours = await encode({ token: TOKEN, secret: Buffer.from(SECRET), salt });
    await expect(nextAuthDecode({ token: ours, secret: SECRET, salt })).resolves.toMatchObject(TOKEN);
    expect(Buffer.from(deriveEncryptionKey(SECRET)).toString('hex')).not.toBe(
      Buffer.from(deriveEncryptionKey(SECRET, salt)).toString('hex'),
    );
  });

  it('keeps one key per secret: a cookie of one secret never opens with another, in either order', async () => {
    const { encode, decode } = createSessionJwt();
    const first = await encode({ token: TOKEN, secret: SECRET });
    const second = await encode({ token: { ...TOKEN, sub: 'user-2' }, secret: OTHER_SECRET });

    await expect(decode({ token: first, secret: OTHER_SECRET })).rejects.toThrow();
    await expect(decode({ token: second, secret: SECRET })).rejects.toThrow();
    await expect(decode({ token: second, secret: OTHER_SECRET })).resolves.toMatchObject({ sub: 'user-2' });
    await expect(nextAuthDecode({ token: second, secret: OTHER_SECRET })).resolves.toMatchObject({ sub: 'user-2' });
    await expect(nextAuthDecode({ token: second, secret: SECRET })).rejects.toThrow();
  });

  it('rejects a cookie whose header, key, IV, ciphertext or tag was changed', async () => {
    const { encode, decode } = createSessionJwt();
    const cookie = await encode({ token: TOKEN, secret: SECRET });

    for (const segment of [0, 2, 3, 4]) {
      await expect(decode({ token: tamper(cookie, segment), secret: SECRET })).rejects.toThrow();
    }
    await expect(decode({ token: `${cookie.split('.')[0]}.AAAA.${cookie.split('.').slice(2).join('.')}`, secret: SECRET })).rejects.toThrow();
    await expect(decode({ token: 'not-a-jwe', secret: SECRET })).rejects.toMatchObject({ code: 'ERR_JWE_INVALID' });
    await expect(decode({ token: tamper(cookie, 3), secret: SECRET })).rejects.toMatchObject({ code: 'ERR_JWE_DECRYPTION_FAILED' });
  });

  it('rejects a cookie encrypted with another content encryption algorithm under the same key', async () => {
    const { decode } = createSessionJwt();
    const { EncryptJWT } = await import('jose');
    // A128CBC-HS256 also takes a 32-byte key: only what next-auth writes (A256GCM) is accepted.
    const cookie = await new EncryptJWT({ ...TOKEN })
      .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .encrypt(deriveEncryptionKey(SECRET));

    await expect(decode({ token: cookie, secret: SECRET })).rejects.toThrow(/enc/);
  });

  it('rejects a cookie under the right key with a longer header, a short tag, a non-object payload or a future nbf', async () => {
    const { encode, decode } = createSessionJwt();
    const key = deriveEncryptionKey(SECRET);
    const { CompactEncrypt, EncryptJWT } = await import('jose');
    const withKid = await new EncryptJWT({ ...TOKEN }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'k' }).encrypt(key);
    const array = await new CompactEncrypt(new TextEncoder().encode('[1,2]')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
    const notYet = await new EncryptJWT({ ...TOKEN }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setNotBefore('1h').encrypt(key);
    const parts = (await encode({ token: TOKEN, secret: SECRET })).split('.');
    const shortTag = [...parts.slice(0, 4), base64url.encode(base64url.decode(parts[4]).slice(0, 12))].join('.');

    await expect(decode({ token: withKid, secret: SECRET })).rejects.toThrow(/header/);
    await expect(decode({ token: array, secret: SECRET })).rejects.toThrow(/JSON object/);
    await expect(decode({ token: notYet, secret: SECRET })).rejects.toThrow(/nbf/);
    await expect(decode({ token: shortTag, secret: SECRET })).rejects.toThrow(/tag length/);
  });

  it('rejects an expired cookie, allowing next-auth’s 15 s of clock skew', async () => {
    const { encode, decode } = createSessionJwt();
    const cookie = await encode({ token: TOKEN, secret: SECRET, maxAge: 60 });
    const issuedAt = Date.now();

    jest.useFakeTimers({ now: issuedAt + 70_000 });
    await expect(decode({ token: cookie, secret: SECRET })).resolves.toMatchObject(TOKEN);
    jest.setSystemTime(issuedAt + 80_000);
    await expect(decode({ token: cookie, secret: SECRET })).rejects.toThrow(/exp/);
    await expect(nextAuthDecode({ token: cookie, secret: SECRET })).rejects.toThrow(/exp/);
  });

  it('opens a cookie it read in the last minute without AES, and still refuses changed copies and other secrets', async () => {
    const { encode, decode } = createSessionJwt();
    const cookie = await encode({ token: TOKEN, secret: SECRET });
    const decipher = jest.spyOn(crypto, 'createDecipheriv');
    const start = Date.now();
    jest.useFakeTimers({ now: start });

    const first = await decode({ token: cookie, secret: SECRET });
    first!.sub = 'changed-by-a-callback';
    const again = await decode({ token: cookie, secret: SECRET });
    expect(decipher).toHaveBeenCalledTimes(1);
    // A new object each time: what a callback did to one read is not in the next.
    expect(again).toMatchObject(TOKEN);

    for (const segment of [2, 3, 4]) {
      await expect(decode({ token: tamper(cookie, segment), secret: SECRET })).rejects.toThrow();
    }
    await expect(decode({ token: cookie, secret: OTHER_SECRET })).rejects.toThrow();
    await expect(decode({ token: cookie, secret: SECRET, salt: 'another-cookie-name' } as Parameters<typeof decode>[0])).rejects.toThrow();

    decipher.mockClear();
    jest.setSystemTime(start + 61_000);
    await expect(decode({ token: cookie, secret: SECRET })).resolves.toMatchObject(TOKEN);
    expect(decipher).toHaveBeenCalledTimes(1);
    decipher.mockRestore();
  });

  it('returns null without a cookie, as next-auth does', async () => {
    const { decode } = createSessionJwt();

    await expect(decode({ token: undefined, secret: SECRET })).resolves.toBeNull();
    await expect(decode({ token: '', secret: SECRET })).resolves.toBeNull();
  });

  it('refuses an empty secret with the fix in the message', async () => {
    const { encode } = createSessionJwt();

    await expect(encode({ token: TOKEN, secret: '' })).rejects.toThrow(/NEXTAUTH_SECRET/);
  });
});
