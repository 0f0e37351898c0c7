import { useHostApp } from './helpers/host-app';
import { csrfTokenOf, readSession, signIn } from './helpers/sign-in-flow';

// Drop-in: `signOut()` from next-auth/react posts { csrfToken, callbackUrl, json: true } to /api/auth/signout.
describe('your POST /api/auth/signout', () => {
  const host = useHostApp();

  it('revokes the refresh token, ends the session and answers with Logto’s end_session URL', async () => {
    const { url, issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    const csrfToken = await csrfTokenOf(browser);
    const tokens = await host().tokensOf(browser);
    const cookiesBefore = Array.from(browser.cookies);
    issuer.resetRequests();

    const response = await browser
      .post('/api/auth/signout')
      .type('form')
      .send({ csrfToken, callbackUrl: `${url}/`, json: 'true' });

    expect(response.status).toBe(200);
    const endSession = new URL((response.body as { url: string }).url);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${issuer.issuer}/session/end`);
    // The session's own id_token (from the cookie, or the Account row with database sessions).
    expect(endSession.searchParams.get('id_token_hint')).toBe(tokens?.idToken);
    expect(tokens?.idToken).toEqual(expect.any(String));
    expect(endSession.searchParams.get('client_id')).toBe(issuer.clientId);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(url);
    expect(issuer.count('revocation')).toBe(1);
    expect(issuer.revokedGrants()).toBe(1);
    // The session ends on the server, not only in this browser: a copy of the old cookie reads no session either
    // (with database sessions, its Session row is deleted).
    const copy = host().browser();
    for (const [name, value] of cookiesBefore) copy.cookies.set(name, value);
    expect(cookiesBefore.some(([name]) => name === host().sessionCookieName || name.startsWith(`${host().sessionCookieName}.`))).toBe(true);
    if (host().strategy === 'database') expect(await host().sessionRowOf(copy)).toBeNull();
    await expect(readSession(copy)).resolves.toBeNull();
    await expect(readSession(browser)).resolves.toBeNull();

    const atLogto = await fetch(endSession, { redirect: 'manual' });
    expect(atLogto.status).toBe(302);
    expect(new URL(String(atLogto.headers.get('location'))).href).toBe(new URL(url).href);
  });

  // A cross-site form can post to the sign-out route, but cannot read the browser's CSRF token.
  it.each<[string, () => Promise<Record<string, string>>]>([
    ['without next-auth’s CSRF token', async () => ({})],
    ['with the CSRF token of another browser', async () => ({ csrfToken: await csrfTokenOf(host().browser()) })],
    ['with a made-up CSRF token', async () => ({ csrfToken: 'f'.repeat(64) })],
  ])('signs nobody out %s', async (_case, forged) => {
    const { issuer } = host();
    const browser = host().browser();
    await signIn(browser, issuer);
    const form = await forged();
    issuer.resetRequests();

    const response = await browser.post('/api/auth/signout').type('form').send({ ...form, json: 'true' });

    expect(JSON.stringify(response.body)).not.toContain(`${issuer.issuer}/session/end`);
    expect(issuer.count('revocation')).toBe(0);
    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));
  });
});
