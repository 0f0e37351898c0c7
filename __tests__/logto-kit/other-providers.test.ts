import NextAuth, { type NextAuthOptions } from 'next-auth';
import type { AdapterAccount, AdapterSession, AdapterUser } from 'next-auth/adapters';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { deriveNextAuthSettings } from '../../lib/logto/next-auth/settings';
import { startApiRouteServer, type ApiModule, type ApiRouteServer } from './helpers/api-route-server';
import type { Browser } from './helpers/browser';
import { useHostApp } from './helpers/host-app';
import { describeWith } from './helpers/host-strategy';
import { csrfTokenOf, decodeBrowserSession, readSession } from './helpers/sign-in-flow';

/**
 * The adapter methods these tests call, as next-auth v4 types them for itself. next-auth's own `Adapter` type joins
 * each with @auth/core's, which an app may lack (then the method's type cannot be resolved, and type-checked lint
 * rules refuse the calls).
 */
interface RowWriter {
  createUser(user: Omit<AdapterUser, 'id'>): Promise<AdapterUser>;
  linkAccount(account: AdapterAccount): Promise<unknown>;
  createSession(session: AdapterSession): Promise<unknown>;
}

/** The session fields the kit keeps for a Logto sign-in; a session of another provider carries none of them. */
const LOGTO_FIELDS = ['accessToken', 'expiresAt', 'refreshToken', 'idToken', 'sid', 'sessionId', 'authTime', 'error'];

// Drop-in: a team that offers another sign-in besides Logto keeps it as next-auth made it: the kit neither
// refreshes, nor signs out at Logto, a session that did not come from Logto.
describeWith(
  'jwt',
  'next-auth signs in with credentials only on JWT sessions; the block below gives a database session to another provider’s user',
)('your /api/auth/* with a session of another provider', () => {
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
    expect((await readSession(browser))?.user.id).toBe('local-1');
    const csrfToken = await csrfTokenOf(browser);
    issuer.resetRequests();

    const response = await browser.post('/api/auth/signout').type('form').send({ csrfToken, callbackUrl: `${url}/`, json: 'true' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ url: `${url}/` });
    expect(issuer.requests).toEqual([]);
    await expect(readSession(browser)).resolves.toBeNull();
  });
});

// Drop-in, database sessions: a user who signed in with another OAuth provider has that provider's Account row and
// a Session row; the kit neither refreshes that account's tokens nor signs the user out at Logto.
describeWith('database', 'JWT sessions: the block above signs in with a credentials provider')(
  'your /api/auth/* with a database session of another provider',
  () => {
    const host = useHostApp();
    let users = 0;

    /** A browser signed in with provider `acme`, its rows written through your adapter as next-auth's OAuth sign-in writes them. */
    async function signedInWithAcme(): Promise<{ browser: Browser; userId: string; sessionToken: string }> {
      const adapter = host().adapter as unknown as RowWriter;
      users += 1;
      const user = await adapter.createUser({ name: 'ACME Example', email: `acme-${users}-${Date.now()}@example.com`, emailVerified: null });
      await adapter.linkAccount({
        userId: user.id,
        type: 'oauth',
        provider: 'acme',
        providerAccountId: `acme-user-${users}-${Date.now()}`,
        access_token: 'acme-access-token',
        refresh_token: 'acme-refresh-token',
        // Expired a minute ago: the kit refreshes Logto's accounts only, so this one stays as it is.
        expires_at: Math.floor(Date.now() / 1000) - 60,
        token_type: 'bearer',
      });
      const sessionToken = `acme-session-${users}-${Date.now()}`;
      await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 60 * 60 * 1000) });
      const browser = host().browser();
      browser.cookies.set(host().sessionCookieName, sessionToken);
      return { browser, userId: user.id, sessionToken };
    }

    it('keeps no Logto fields in the session, and reads it without a request to Logto or a change to its Account row', async () => {
      const { issuer } = host();
      const { browser, userId } = await signedInWithAcme();
      issuer.resetRequests();

      const session = await readSession(browser);

      expect(session).toMatchObject({ user: { id: userId, name: 'ACME Example' } });
      expect(session).not.toHaveProperty('error');
      expect(session).not.toHaveProperty('accessTokenExpiresAt');
      expect(issuer.requests).toEqual([]);
      expect(await host().database!.findAccount(userId, 'acme')).toMatchObject({ accessToken: 'acme-access-token', refreshToken: 'acme-refresh-token' });
      expect(host().logs).toEqual([]);
    });

    it('signs out with next-auth alone: back to the app, the Session row deleted, no revocation or end_session at Logto', async () => {
      const { url, issuer } = host();
      const { browser, sessionToken } = await signedInWithAcme();
      const csrfToken = await csrfTokenOf(browser);
      expect(await host().sessionRowOf(browser)).not.toBeNull();
      issuer.resetRequests();

      const response = await browser.post('/api/auth/signout').type('form').send({ csrfToken, callbackUrl: `${url}/`, json: 'true' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ url: `${url}/` });
      expect(issuer.requests).toEqual([]);
      await expect(readSession(browser)).resolves.toBeNull();
      const copy = host().browser();
      copy.cookies.set(host().sessionCookieName, sessionToken);
      expect(await host().sessionRowOf(copy)).toBeNull();
    });
  },
);
