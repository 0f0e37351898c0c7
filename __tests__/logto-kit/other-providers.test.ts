import NextAuth, { type NextAuthOptions } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { deriveNextAuthSettings } from '../../lib/logto/next-auth/settings';
import { startApiRouteServer, type ApiModule, type ApiRouteServer } from './helpers/api-route-server';
import type { Browser } from './helpers/browser';
import { useHostApp } from './helpers/host-app';
import { csrfTokenOf, decodeBrowserSession, readSession } from './helpers/sign-in-flow';

/** The session fields the kit keeps for a Logto sign-in; a session of another provider carries none of them. */
const LOGTO_FIELDS = ['accessToken', 'expiresAt', 'refreshToken', 'idToken', 'sid', 'sessionId', 'authTime', 'error'];

// Drop-in: a team that offers another sign-in besides Logto keeps it as next-auth made it: the kit neither
// refreshes, nor signs out at Logto, a session that did not come from Logto.
describe('your /api/auth/* with a session of another provider', () => {
  const host = useHostApp();
  let other: ApiRouteServer;

  beforeAll(async () => {
    // Your authOptions with one more provider, served by next-auth alone: only the sign-in goes through it.
    const local = CredentialsProvider({
      id: 'local',
      name: 'Local',
      credentials: {},
      authorize: async () => ({ id: 'local-1', name: 'Local Example', email: 'local@example.com' }),
    });
    const withLocal: ApiModule = {
      default: (req, res) => {
        const { authOptions } = host().route;
        const options: NextAuthOptions = { ...authOptions, providers: [...authOptions.providers, local] };
        return NextAuth(req, res, options) as unknown;
      },
    };
    other = await startApiRouteServer((pathname) =>
      pathname.includes('/api/auth/') ? { module: withLocal, query: { nextauth: (pathname.split('/api/auth/')[1] ?? '').split('/') } } : undefined,
    );
  });
  afterAll(() => other?.close());

  /** A browser signed in with the `local` provider; its CSRF cookie comes from your route. */
  async function signedInLocally(): Promise<Browser> {
    const browser = host().browser();
    const csrfToken = await csrfTokenOf(browser);
    const response = await browser.post(`${other.url}/api/auth/callback/local`).type('form').send({ csrfToken, json: 'true' });
    expect(response.status).toBe(200);
    return browser;
  }

  /** The session token the browser's cookie holds, decrypted as next-auth's getToken does. */
  async function sessionTokenOf(browser: Browser): Promise<JWT | null> {
    const cookieName = deriveNextAuthSettings(host().url, host().route.authOptions).cookies.sessionToken.name;
    return decodeBrowserSession(browser, { secret: String(host().route.authOptions.secret), cookieName });
  }

  it('keeps no Logto fields in the session, and reads it without a request to Logto', async () => {
    const { issuer } = host();
    const browser = await signedInLocally();
    const token = await sessionTokenOf(browser);
    expect(token).toMatchObject({ sub: 'local-1', provider: 'local' });
    for (const field of LOGTO_FIELDS) expect(token).not.toHaveProperty(field);
    issuer.resetRequests();

    const session = await readSession(browser);

    expect(session).toMatchObject({ user: { id: 'local-1', name: 'Local Example', email: 'local@example.com' } });
    expect(session).not.toHaveProperty('error');
    expect(session).not.toHaveProperty('accessTokenExpiresAt');
    expect(issuer.requests).toEqual([]);
    const after = await sessionTokenOf(browser);
    for (const field of LOGTO_FIELDS) expect(after).not.toHaveProperty(field);
    expect(host().logs).toEqual([]);
  });

  it('signs out with next-auth alone: back to the app, no revocation or end_session at Logto', async () => {
    const { url, issuer } = host();
    const browser = await signedInLocally();
    const csrfToken = await csrfTokenOf(browser);
    issuer.resetRequests();

    const response = await browser.post('/api/auth/signout').type('form').send({ csrfToken, callbackUrl: `${url}/`, json: 'true' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ url: `${url}/` });
    expect(issuer.requests).toEqual([]);
    await expect(readSession(browser)).resolves.toBeNull();
  });
});
