import { decode as nextAuthDecode, encode as nextAuthEncode } from 'next-auth/jwt';
import type { Response } from 'supertest';
import { deriveNextAuthSettings } from '../../lib/logto/next-auth/settings';
import { createSessionJwt } from '../../lib/logto/next-auth/session-jwt';
import { useHostApp } from './helpers/host-app';
import { sessionCookieHeader, signIn } from './helpers/sign-in-flow';

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
describe('your session cookie', () => {
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
