import { deriveNextAuthSettings } from '../../lib/logto/next-auth/settings';
import { useHostApp } from './helpers/host-app';
import { itWith } from './helpers/host-strategy';
import { decodeSessionCookie, readSession, sessionCookieHeader, signIn } from './helpers/sign-in-flow';

// Drop-in: your authOptions and route against a local ES384 issuer that behaves like a Logto tenant.
describe('your /api/auth/callback/logto', () => {
  const host = useHostApp();

  it('signs the user in with PKCE, state, prompt=consent and an ES384 id_token', async () => {
    const { url, issuer, route } = host();
    const browser = host().browser();

    const flow = await signIn(browser, issuer, { callbackUrl: `${url}/` });

    const params = flow.authorizationUrl.searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toBeTruthy();
    // A nonce is optional with PKCE in the code flow (RFC 9700 §2.1.1): sent exactly when your provider's checks ask for it.
    const logto = route.authOptions.providers.find((provider) => provider.id === 'logto') as { checks?: unknown; options?: { checks?: unknown } } | undefined;
    const checks = logto?.options?.checks ?? logto?.checks;
    expect(Boolean(params.get('nonce'))).toBe(Array.isArray(checks) && checks.includes('nonce'));
    expect(params.get('prompt')).toBe('consent');
    expect(params.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access']));
    expect(params.get('redirect_uri')).toBe(`${url}/api/auth/callback/logto`);
    expect(flow.callbackResponse.status).toBe(302);
    expect(flow.callbackResponse.headers.location).toBe(`${url}/`);
    expect((await readSession(browser))?.user).toMatchObject({ id: await host().userId('user-1'), name: 'Alice Example', email: 'alice@example.com' });
    expect(host().logs).toEqual([]);
  });

  itWith('jwt', 'with database sessions the cookie is the Session row’s token; the next test checks where the tokens are')(
    'keeps Logto’s tokens in the encrypted cookie, out of the session JSON the browser reads',
    async () => {
      const { url, issuer, route } = host();
      const browser = host().browser();
      const cookieName = deriveNextAuthSettings(url, route.authOptions).cookies.sessionToken.name;

      const { callbackResponse } = await signIn(browser, issuer);

      const token = await decodeSessionCookie(sessionCookieHeader(callbackResponse, cookieName), {
        secret: String(route.authOptions.secret),
        cookieName,
      });
      const tokens = [token?.accessToken, token?.refreshToken, token?.idToken];
      expect(tokens).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
      const { text } = await browser.get('/api/auth/session').expect(200);
      expect(JSON.parse(text)).toMatchObject({ user: { id: await host().userId('user-1') } });
      for (const value of tokens) expect(text).not.toContain(value);
      // The id_token's claims part alone would hand out the signed claims too.
      expect(text).not.toContain(String(token?.idToken).split('.')[1]);
      expect(text).not.toMatch(/"(accessToken|refreshToken|idToken|access_token|refresh_token|id_token)"/);
    },
  );

  itWith('database', 'with JWT sessions the tokens are in the encrypted cookie; the test before checks them')(
    'keeps Logto’s tokens in your Account row (expires_at in epoch seconds), out of the cookie and the session JSON',
    async () => {
      const { issuer } = host();
      const browser = host().browser();
      const signedInAt = Math.floor(Date.now() / 1000);

      await signIn(browser, issuer);

      const tokens = await host().tokensOf(browser);
      expect(tokens).toEqual({
        accessToken: expect.any(String) as unknown,
        refreshToken: expect.any(String) as unknown,
        idToken: expect.any(String) as unknown,
        expiresAt: expect.any(Number) as unknown,
      });
      // Epoch seconds, one access-token lifetime (the test issuer's: 3600 s) after the sign-in.
      expect(tokens!.expiresAt).toBeGreaterThanOrEqual(signedInAt + 3600 - 5);
      expect(tokens!.expiresAt).toBeLessThanOrEqual(signedInAt + 3600 + 5);
      // The cookie carries only the Session row's token, which your adapter resolves to the user.
      const cookie = decodeURIComponent(browser.cookies.get(host().sessionCookieName) ?? '');
      expect(await host().sessionRowOf(browser)).toMatchObject({ userId: await host().userId('user-1') });
      const { text } = await browser.get('/api/auth/session').expect(200);
      expect(JSON.parse(text)).toMatchObject({ user: { id: await host().userId('user-1') } });
      for (const value of [tokens!.accessToken, tokens!.refreshToken, tokens!.idToken, String(tokens!.idToken).split('.')[1]]) {
        expect(cookie).not.toContain(value);
        expect(text).not.toContain(value);
      }
      expect(text).not.toMatch(/"(accessToken|refreshToken|idToken|access_token|refresh_token|id_token)"/);
    },
  );

  it('maps a user without a name to the username', async () => {
    const { issuer } = host();
    issuer.user = { sub: 'user-2', name: null, username: 'bob', email: 'bob@example.com' };
    const browser = host().browser();

    await signIn(browser, issuer);

    expect((await readSession(browser))?.user).toMatchObject({ id: await host().userId('user-2'), name: 'bob' });
  });

  it('passes ui_locales from signIn()’s third argument on to Logto, so its pages match the app’s language', async () => {
    const { issuer } = host();
    const browser = host().browser();

    const flow = await signIn(browser, issuer, { params: { ui_locales: 'ko', direct_sign_in: 'social:kakao' } });

    expect(flow.authorizationUrl.searchParams.get('ui_locales')).toBe('ko');
    expect(flow.authorizationUrl.searchParams.get('direct_sign_in')).toBe('social:kakao');
    expect(flow.callbackResponse.status).toBe(302);
    expect(await readSession(browser)).not.toBeNull();
  });

  it('signs a Kakao user without an email in, with email null', async () => {
    const { issuer } = host();
    issuer.user = { sub: 'user-3', name: '김카카오', username: null, picture: 'https://img.kakao.example.com/p.jpg' };
    const browser = host().browser();

    await signIn(browser, issuer, { params: { direct_sign_in: 'social:kakao' } });

    expect((await readSession(browser))?.user).toEqual({
      id: await host().userId('user-3'),
      name: '김카카오',
      email: null,
      image: 'https://img.kakao.example.com/p.jpg',
      roles: [],
      organizations: [],
    });
  });
});
