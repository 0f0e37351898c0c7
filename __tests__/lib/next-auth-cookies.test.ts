import { createHash } from 'node:crypto';
import type { NextApiRequest, NextApiResponse } from 'next';
import NextAuth from 'next-auth';
import { encode, getToken } from 'next-auth/jwt';
import { verifyCsrfToken } from '@/lib/logto/next-auth/cookies';
import { deriveNextAuthSettings } from '@/lib/logto/next-auth/settings';

const cookiesOf = (secure: boolean) => deriveNextAuthSettings(secure ? 'https://app.example.com' : 'http://app.example.com', { providers: [] }).cookies;
const csrfCookieName = (secure: boolean) => cookiesOf(secure).csrfToken.name;
const sessionCookieName = (secure: boolean) => cookiesOf(secure).sessionToken.name;

const SECRET = 'cookie-test-secret-cookie-test-secret-01';

/**
 * Asks next-auth itself for a CSRF token, as GET /api/auth/csrf does, and returns the token with the
 * cookie it sets. A bare request/response pair stands in for Next.js: only the CSRF action runs.
 */
async function csrfFromNextAuth({ useSecureCookies = false } = {}) {
  const headers = new Map<string, string | string[]>();
  let body: unknown;
  const res = {
    status: () => res,
    setHeader: (name: string, value: string | string[]) => headers.set(name.toLowerCase(), value),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    send: (sent: unknown) => {
      body = sent;
    },
    end: () => undefined,
  };
  const req = {
    method: 'GET',
    query: { nextauth: ['csrf'] },
    headers: { host: 'app.example.com' },
    cookies: {},
    body: {},
  };
  await NextAuth(req as unknown as NextApiRequest, res as unknown as NextApiResponse, {
    providers: [],
    secret: SECRET,
    useSecureCookies,
  });
  const [setCookie] = ([] as string[]).concat(headers.get('set-cookie') ?? []);
  const [name, value] = setCookie.split(';')[0].split('=');
  return { csrfToken: (body as { csrfToken: string }).csrfToken, name, cookie: decodeURIComponent(value) };
}

describe('verifyCsrfToken', () => {
  it('accepts the csrfToken next-auth hands out together with its cookie', async () => {
    const { csrfToken, cookie } = await csrfFromNextAuth();

    expect(verifyCsrfToken(cookie, csrfToken, SECRET)).toBe(true);
  });

  it('rejects a posted token other than the cookie’s', async () => {
    const { cookie } = await csrfFromNextAuth();
    const other = await csrfFromNextAuth();

    expect(verifyCsrfToken(cookie, other.csrfToken, SECRET)).toBe(false);
  });

  it('rejects a request without the cookie or without a posted token', async () => {
    const { csrfToken, cookie } = await csrfFromNextAuth();

    expect(verifyCsrfToken(undefined, csrfToken, SECRET)).toBe(false);
    expect(verifyCsrfToken('', csrfToken, SECRET)).toBe(false);
    expect(verifyCsrfToken(cookie, undefined, SECRET)).toBe(false);
    expect(verifyCsrfToken(cookie, '', SECRET)).toBe(false);
  });

  it('rejects a posted token that is not a string, as when the form field is repeated', async () => {
    const { csrfToken, cookie } = await csrfFromNextAuth();

    expect(verifyCsrfToken(cookie, [csrfToken, csrfToken], SECRET)).toBe(false);
  });

  it('rejects a cookie the attacker made up, whose hash is not keyed with the secret', () => {
    const token = 'a'.repeat(64);
    const cookieKeyedWith = (secret: string) => `${token}|${createHash('sha256').update(`${token}${secret}`).digest('hex')}`;

    expect(verifyCsrfToken(cookieKeyedWith('another-secret'), token, SECRET)).toBe(false);
    expect(verifyCsrfToken(cookieKeyedWith(SECRET), token, SECRET)).toBe(true);
  });

  it('rejects a cookie whose secret-keyed hash is missing or cut short', async () => {
    const { csrfToken, cookie } = await csrfFromNextAuth();

    expect(verifyCsrfToken(csrfToken, csrfToken, SECRET)).toBe(false);
    expect(verifyCsrfToken(`${csrfToken}|`, csrfToken, SECRET)).toBe(false);
    expect(verifyCsrfToken(cookie.slice(0, -1), csrfToken, SECRET)).toBe(false);
  });

  it('rejects the cookie when verified with another secret', async () => {
    const { csrfToken, cookie } = await csrfFromNextAuth();

    expect(verifyCsrfToken(cookie, csrfToken, `${SECRET}-rotated`)).toBe(false);
  });
});

describe('csrfCookie', () => {
  it('names the cookie next-auth sets, with the __Host- prefix on https', async () => {
    expect(csrfCookieName(false)).toBe((await csrfFromNextAuth()).name);
    expect(csrfCookieName(true)).toBe((await csrfFromNextAuth({ useSecureCookies: true })).name);
    expect(csrfCookieName(true)).toBe('__Host-next-auth.csrf-token');
  });
});

describe('sessionCookie', () => {
  it.each([false, true])('names the session cookie getToken reads (secure: %s)', async (secure) => {
    const name = sessionCookieName(secure);
    const cookie = await encode({ token: { sub: 'user-1' }, secret: SECRET });
    const req = { headers: {}, cookies: { [name]: cookie } } as unknown as NextApiRequest;

    await expect(getToken({ req, secret: SECRET, secureCookie: secure })).resolves.toMatchObject({ sub: 'user-1' });
    expect(name).toBe(secure ? '__Secure-next-auth.session-token' : 'next-auth.session-token');
  });
});
