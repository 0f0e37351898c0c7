import { decode as nextAuthDecode, encode as nextAuthEncode } from 'next-auth/jwt';
import type { Response } from 'supertest';
import { deriveNextAuthSettings } from '../../lib/logto/next-auth/settings';
import { createSessionJwt } from '../../lib/logto/next-auth/session-jwt';
import { useHostApp } from './helpers/host-app';
import { describeWith } from './helpers/host-strategy';
import { readSession, sessionCookieHeader, signIn } from './helpers/sign-in-flow';

/** What `/api/auth/session` answers for a signed-in browser, as far as these tests read it. */
type SessionBody = { user: { id: string }; error?: string };

/** The session JWT a response sets, its chunks (`<name>.0`, `<name>.1`, …) joined in order. */
function sessionTokenOf(response: Response, name: string): string {
  return sessionCookieHeader(response, name)
    .split('; ')
    .map((pair) => pair.slice(pair.indexOf('=') + 1))
    .join('');
}

// Drop-in: the kit writes the session cookie with its own codec (the key derived once, not per request).
// Cookies must stay next-auth's format: sessions signed in before the kit keep working, and so would a
// rollback to next-auth's default codec or a `getToken()` in middleware.
describeWith('jwt', 'with database sessions the cookie is the Session row’s token, not a JWT; the block below checks it')('your session cookie', () => {
  const host = useHostApp();
  const cookieName = () => deriveNextAuthSettings(host().url, host().route.authOptions).cookies.sessionToken.name;
  const secret = () => String(host().route.authOptions.secret);

  it('is a JWT next-auth’s own decode opens, at sign-in and when a session read re-issues it', async () => {
    const { callbackResponse } = await signIn(host().browser(), host().issuer);
    const issued = await nextAuthDecode({ token: sessionTokenOf(callbackResponse, cookieName()), secret: secret() });
    expect(issued).toMatchObject({ sub: 'user-1', provider: 'logto', refreshToken: expect.any(String) as unknown });

    // A read re-issues the cookie once it is older than session.updateAge (24 h): write it a day and an hour ago.
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now - 25 * 60 * 60 * 1000);
    // The kit's codec (same format as next-auth's) reads Date.now, which jose's `new Date()` does not.
    let old: string;
    try {
      old = await createSessionJwt().encode({ token: issued!, secret: secret() });
    } finally {
      clock.mockRestore();
    }
    const read = await host().browser().get('/api/auth/session').set('Cookie', `${cookieName()}=${old}`).expect(200);
    expect((read.body as SessionBody).user.id).toBe('user-1');
    const reissued = await nextAuthDecode({ token: sessionTokenOf(read, cookieName()), secret: secret() });
    expect(reissued).toMatchObject({ sub: 'user-1', refreshToken: issued!.refreshToken });
    expect(reissued!.jti).not.toBe(issued!.jti);
  });

  it('keeps a session signed in whose cookie next-auth’s own encode wrote', async () => {
    const { callbackResponse } = await signIn(host().browser(), host().issuer);
    const claims = await nextAuthDecode({ token: sessionTokenOf(callbackResponse, cookieName()), secret: secret() });
    // next-auth's encode sets iat, exp and jti afresh.
    const legacyCookie = await nextAuthEncode({ token: claims!, secret: secret() });

    const read = await host().browser().get('/api/auth/session').set('Cookie', `${cookieName()}=${legacyCookie}`).expect(200);

    expect((read.body as SessionBody).user.id).toBe('user-1');
    expect((read.body as SessionBody).error).toBeUndefined();
  });

  it('signs the user out when the cookie was changed or encrypted with another secret', async () => {
    const { callbackResponse } = await signIn(host().browser(), host().issuer);
    const cookie = sessionTokenOf(callbackResponse, cookieName());
    const [header, key, iv, ciphertext = '', tag] = cookie.split('.');
    const flipped = `${ciphertext.startsWith('A') ? 'B' : 'A'}${ciphertext.slice(1)}`;
    const foreign = await nextAuthEncode({ token: { sub: 'user-1', provider: 'logto' }, secret: `${secret()}-other` });

    for (const forged of [[header, key, iv, flipped, tag].join('.'), foreign]) {
      const read = await host().browser().get('/api/auth/session').set('Cookie', `${cookieName()}=${forged}`).expect(200);
      expect(read.body).toEqual({});
      expect(read.headers['set-cookie']).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^${cookieName().replace(/\./g, '\\.')}=;.*Max-Age=0`))]),
      );
    }
  });
});

// Drop-in, database sessions: the cookie holds the token of a Session row your adapter keeps; sessions next-auth
// created before the kit was added keep working, and a cookie naming no row is signed out.
describeWith('database', 'with JWT sessions the cookie is a JWT; the block above checks it')('your session cookie with database sessions', () => {
  const host = useHostApp();

  it('is the token of a Session row your adapter holds for the user, about session.maxAge ahead', async () => {
    const browser = host().browser();

    await signIn(browser, host().issuer);

    const row = await host().sessionRowOf(browser);
    expect(row).toMatchObject({ userId: await host().userId('user-1') });
    const maxAgeSeconds = host().route.authOptions.session?.maxAge ?? 30 * 24 * 60 * 60;
    expect(Math.abs(row!.expires.getTime() - (Date.now() + maxAgeSeconds * 1000))).toBeLessThan(60_000);
    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));
  });

  it('keeps a session signed in that next-auth created without the kit (no link row), with the user’s Logto claims', async () => {
    const signedIn = host().browser();
    await signIn(signedIn, host().issuer);
    const userId = await host().userId('user-1');
    // As next-auth wrote Session rows before the kit was added: through the adapter alone.
    const sessionToken = `legacy-${Date.now()}`;
    await host().adapter!.createSession!({ sessionToken, userId, expires: new Date(Date.now() + 60 * 60 * 1000) });
    const legacy = host().browser();
    legacy.cookies.set(host().sessionCookieName, sessionToken);

    const session = await readSession(legacy);

    expect(session?.user).toMatchObject({ id: userId, roles: expect.any(Array) as unknown, organizations: expect.any(Array) as unknown });
    expect(session?.error).toBeUndefined();
  });

  it('signs the user out when the cookie names no Session row, or one the adapter deleted', async () => {
    const browser = host().browser();
    await signIn(browser, host().issuer);
    const token = decodeURIComponent(browser.cookies.get(host().sessionCookieName) ?? '');
    await host().adapter!.deleteSession!(token);

    for (const forged of [token, `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`]) {
      const read = await host().browser().get('/api/auth/session').set('Cookie', `${host().sessionCookieName}=${forged}`).expect(200);
      expect(read.body).toEqual({});
      expect(read.headers['set-cookie']).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^${host().sessionCookieName.replace(/\./g, '\\.')}=;.*Max-Age=0`))]),
      );
    }
  });
});
