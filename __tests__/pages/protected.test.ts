import { decode, encode } from 'next-auth/jwt';
import { createSessionJwt } from '../../lib/logto/next-auth/session-jwt';
import { sampleSession } from '@/pages/bench/protected-shape';
import { pageContext } from '../helpers/page-context';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { sessionCookieHeader, signIn } from '../logto-kit/helpers/sign-in-flow';

type ProtectedPage = typeof import('@/pages/protected');

describe('/protected getServerSideProps', () => {
  const harness = setupAuthApp();
  let page: ProtectedPage;

  beforeAll(async () => {
    // Loaded after startAuthApp has set the environment: the page reads the session with the app's secret.
    await jest.isolateModulesAsync(async () => {
      page = await import('@/pages/protected');
    });
  });

  it('redirects a signed-out visitor to the sign-in page with /protected as callbackUrl', async () => {
    await expect(page.getServerSideProps(pageContext('/protected'))).resolves.toEqual({
      redirect: { destination: '/auth/sign-in?callbackUrl=%2Fprotected', permanent: false },
    });
  });

  it('keeps the query of the protected URL in the callbackUrl', async () => {
    await expect(page.getServerSideProps(pageContext('/protected?tab=profile'))).resolves.toEqual({
      redirect: { destination: '/auth/sign-in?callbackUrl=%2Fprotected%3Ftab%3Dprofile', permanent: false },
    });
  });

  it('renders with the session of a signed-in user and leaves a session cookie younger than updateAge as it is', async () => {
    const { app, issuer } = harness;
    const { callbackResponse } = await signIn(app.browser(), issuer);
    const context = pageContext('/protected', { cookie: sessionCookieHeader(callbackResponse) });

    const result = await page.getServerSideProps(context);

    expect(result).toEqual({
      props: {
        // The bench's sample session (pages/bench/protected-shape.tsx) must stay the shape of the real one.
        session: { ...sampleSession(0), expires: expect.any(String), accessTokenExpiresAt: expect.any(Number) },
        locale: 'en',
      },
    });
    const setCookies = ([] as string[]).concat((context.res.getHeader('set-cookie') as string[] | undefined) ?? []);
    // The kit re-issues an unchanged session cookie only once per session.updateAge (lib/logto/next-auth/fast-session-read.ts).
    expect(setCookies.filter((cookie) => cookie.startsWith('next-auth.session-token='))).toEqual([]);
    expect(app.logs).toEqual([]);
  });

  it('rolls a session cookie older than updateAge (24 h)', async () => {
    const { app, issuer } = harness;
    const { callbackResponse } = await signIn(app.browser(), issuer);
    const secret = process.env.NEXTAUTH_SECRET!;
    const claims = await decode({ token: sessionCookieHeader(callbackResponse).split('=')[1], secret });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now - 25 * 60 * 60 * 1000);
    // The kit's codec (same format as next-auth's) reads Date.now, which jose's `new Date()` does not.
    let old: string;
    try {
      old = await createSessionJwt().encode({ token: claims!, secret });
    } finally {
      clock.mockRestore();
    }
    const context = pageContext('/protected', { cookie: `next-auth.session-token=${old}` });

    const result = await page.getServerSideProps(context);

    expect(result).toMatchObject({ props: { session: { user: { id: 'user-1' } } } });
    const setCookies = ([] as string[]).concat((context.res.getHeader('set-cookie') as string[] | undefined) ?? []);
    expect(setCookies).toContainEqual(expect.stringMatching(/^next-auth\.session-token=[^;]+; Path=\/; Expires=/));
    const rolled = await decode({ token: setCookies.find((cookie) => cookie.startsWith('next-auth.session-token='))!.split(/[=;]/)[1], secret });
    expect(rolled!.iat as number).toBeGreaterThanOrEqual(Math.floor(now / 1000));
    expect(app.logs).toEqual([]);
  });

  it('renders in the language the browser asks for, or the one picked in the switcher', async () => {
    const { app, issuer } = harness;
    const cookie = sessionCookieHeader((await signIn(app.browser(), issuer)).callbackResponse);

    const korean = await page.getServerSideProps(pageContext('/protected', { cookie, 'accept-language': 'ko-KR,ko;q=0.9' }));
    const picked = await page.getServerSideProps(
      pageContext('/protected', { cookie: `${cookie}; NEXT_LOCALE=es`, 'accept-language': 'ko-KR,ko;q=0.9' }),
    );

    expect(korean).toMatchObject({ props: { locale: 'ko' } });
    expect(picked).toMatchObject({ props: { locale: 'es' } });
  });

  it('redirects to sign-in when the expired access token can no longer be refreshed', async () => {
    const { app, issuer } = harness;
    // A session whose access token expired a minute ago and whose refresh token Logto does not know.
    const token = await encode({
      token: { provider: 'logto', sub: 'user-1', name: 'Alice Example', expiresAt: Math.floor(Date.now() / 1000) - 60, refreshToken: 'revoked' },
      secret: process.env.NEXTAUTH_SECRET!,
    });
    issuer.resetRequests();

    await expect(page.getServerSideProps(pageContext('/protected', { cookie: `next-auth.session-token=${token}` }))).resolves.toEqual({
      redirect: { destination: '/auth/sign-in?callbackUrl=%2Fprotected', permanent: false },
    });
    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(app.logs).toEqual([expect.stringContaining('[auth] LOGTO_REFRESH_ERROR: Logto refused the grant')]);
  });
});
