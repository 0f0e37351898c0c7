import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { GetServerSidePropsContext } from 'next';
import { setLazyProp } from 'next/dist/server/api-utils';
import { getCookieParser } from 'next/dist/server/api-utils/get-cookie-parser';
import { encode } from 'next-auth/jwt';
import type { Response } from 'supertest';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { signIn } from '../logto-kit/helpers/sign-in-flow';

type ProtectedPage = typeof import('@/pages/protected');

/**
 * The context Next.js gives getServerSideProps for `GET resolvedUrl`: Node's own request and response,
 * with `req.cookies` parsed lazily from the Cookie header exactly as Next's renderer does.
 */
function pageContext(resolvedUrl: string, cookie?: string): GetServerSidePropsContext {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = resolvedUrl;
  if (cookie) req.headers.cookie = cookie;
  setLazyProp({ req }, 'cookies', getCookieParser(req.headers));
  return {
    req: req as GetServerSidePropsContext['req'],
    res: new ServerResponse(req),
    query: Object.fromEntries(new URL(resolvedUrl, 'http://app.example.com').searchParams),
    resolvedUrl,
  };
}

/** The `name=value` of the session cookie a response sets. */
function sessionCookie(response: Response): string {
  const header = response.headers['set-cookie'] as unknown as string[];
  const cookie = header.find((value) => value.startsWith('next-auth.session-token='));
  if (!cookie) throw new Error('The response sets no session cookie');
  return cookie.split(';')[0];
}

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

  it('renders with the session of a signed-in user and rolls the session cookie', async () => {
    const { app, issuer } = harness;
    const { callbackResponse } = await signIn(app.browser(), issuer);
    const context = pageContext('/protected', sessionCookie(callbackResponse));

    const result = await page.getServerSideProps(context);

    expect(result).toEqual({
      props: {
        session: {
          user: { id: 'user-1', name: 'Alice Example', email: 'alice@example.com', image: null },
          expires: expect.any(String),
          accessTokenExpiresAt: expect.any(Number),
        },
      },
    });
    const setCookies = ([] as string[]).concat((context.res.getHeader('set-cookie') as string[] | undefined) ?? []);
    expect(setCookies).toContainEqual(expect.stringMatching(/^next-auth\.session-token=[^;]+; Path=\/; Expires=/));
    expect(app.logs).toEqual([]);
  });

  it('redirects to sign-in when the expired access token can no longer be refreshed', async () => {
    const { app, issuer } = harness;
    // A session whose access token expired a minute ago and whose refresh token Logto does not know.
    const token = await encode({
      token: { provider: 'logto', sub: 'user-1', name: 'Alice Example', expiresAt: Math.floor(Date.now() / 1000) - 60, refreshToken: 'revoked' },
      secret: process.env.NEXTAUTH_SECRET!,
    });
    issuer.resetRequests();

    await expect(page.getServerSideProps(pageContext('/protected', `next-auth.session-token=${token}`))).resolves.toEqual({
      redirect: { destination: '/auth/sign-in?callbackUrl=%2Fprotected', permanent: false },
    });
    expect(issuer.count('token', 'refresh_token')).toBe(1);
    expect(app.logs).toEqual([expect.stringContaining('[auth] LOGTO_REFRESH_ERROR: Logto refused the grant')]);
  });
});
