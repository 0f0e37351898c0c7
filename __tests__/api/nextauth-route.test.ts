import { kakaoUser } from '../helpers/fixtures/logto-users';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { readSession, setCookieNames, signIn } from '../logto-kit/helpers/sign-in-flow';
import type { TestUser } from '../logto-kit/helpers/test-issuer';

describe('GET /api/auth/callback/logto', () => {
  const harness = setupAuthApp();
  let defaultUser: TestUser;

  beforeAll(() => {
    defaultUser = harness.issuer.user;
  });
  afterEach(() => {
    harness.issuer.user = defaultUser;
  });

  it('signs the user in with an ES384 id_token and maps the Logto profile', async () => {
    const { app, issuer } = harness;
    const browser = app.browser();
    const flow = await signIn(browser, issuer, { callbackUrl: `${app.url}/protected` });

    const auth = flow.authorizationUrl.searchParams;
    expect(auth.get('code_challenge_method')).toBe('S256');
    expect(auth.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    // PKCE binds the code to this browser; the route sends no nonce (RFC 9700 §2.1.1).
    expect(auth.get('nonce')).toBeNull();
    expect(auth.get('state')).toBeTruthy();
    expect(auth.get('scope')).toBe('openid offline_access profile email');
    expect(auth.get('prompt')).toBe('consent');
    expect(auth.get('redirect_uri')).toBe(`${app.url}/api/auth/callback/logto`);
    expect(flow.callbackUrl.searchParams.get('iss')).toBe(issuer.issuer);

    expect(flow.callbackResponse.status).toBe(302);
    expect(flow.callbackResponse.headers.location).toBe(`${app.url}/protected`);
    expect(setCookieNames(flow.callbackResponse)).toContain('next-auth.session-token');

    const session = await readSession(browser);
    expect(session?.user).toEqual({ id: 'user-1', name: 'Alice Example', email: 'alice@example.com', image: null, roles: [], organizations: [] });
    expect(Object.keys(session ?? {}).sort()).toEqual(['accessTokenExpiresAt', 'expires', 'user']);
  });

  it("passes direct_sign_in=social:kakao from signIn()'s third argument on to Logto", async () => {
    const { app, issuer } = harness;
    // signIn('logto', { callbackUrl: '/' }, { direct_sign_in: 'social:kakao' }) posts the third argument as the query.
    const flow = await signIn(app.browser(), issuer, { params: { direct_sign_in: 'social:kakao' } });

    expect(flow.authorizationUrl.searchParams.get('direct_sign_in')).toBe('social:kakao');
    expect(flow.callbackResponse.headers.location).toBe(`${app.url}/`);
  });

  it('signs a Kakao-linked user in with a null email, the Kakao nickname and the Kakao picture', async () => {
    const { app, issuer } = harness;
    issuer.user = kakaoUser;
    const browser = app.browser();
    const flow = await signIn(browser, issuer, { params: { direct_sign_in: 'social:kakao' } });

    expect(flow.callbackResponse.status).toBe(302);
    expect(flow.callbackResponse.headers.location).toBe(`${app.url}/`);
    expect((await readSession(browser))?.user).toEqual({
      id: 'u2kakaouser2',
      name: '김카카오',
      email: null,
      image: 'https://img1.kakaocdn.example.com/thumb/R640x640.q70/profile.jpg',
      roles: [],
      organizations: [],
    });
    expect(app.logs).toEqual([]);
  });

  it('accepts id_tokens signed with a key Logto rotated in, fetching the new JWKS once', async () => {
    const { app, issuer } = harness;
    await signIn(app.browser(), issuer);
    await issuer.rotateKey();
    issuer.resetRequests();

    const browser = app.browser();
    const flow = await signIn(browser, issuer);
    expect(flow.callbackResponse.headers.location).toBe(`${app.url}/`);
    expect((await readSession(browser))?.user.id).toBe('user-1');
    expect(issuer.count('jwks')).toBe(1);

    issuer.resetRequests();
    await signIn(app.browser(), issuer);
    expect(issuer.count('jwks')).toBe(0);
    expect(app.logs).toEqual([]);
  });
});
