import { decode, type JWT } from 'next-auth/jwt';
import type { CompatCell, HostProvider } from './cells';
import type { HttpBrowser } from './http-flow/http-browser';
import {
  leftoverSessionCookies,
  probeIssuerSession,
  readSession,
  readSessionCookie,
  sessionCookieName,
  signInWithCredentials,
  signInWithPassword,
  signOutLocally,
  type IssuerEndpoints,
  type NextAuthApp,
  type NextAuthSession,
  type PasswordCredentials,
} from './http-flow/next-auth-flow';

/** The JWT fields the kit keeps for a Logto session (lib/logto/types/next-auth.d.ts); none may outlive a switch to another provider. */
const LOGTO_TOKEN_FIELDS = ['accessToken', 'refreshToken', 'idToken', 'expiresAt', 'sessionId', 'error'] as const;

/** What the host checks need from the running cell. */
export interface HostCheckContext {
  app: NextAuthApp;
  endpoints: IssuerEndpoints;
  /** The issuer's own origin, for `GET /admin/metrics` (loopback only). */
  issuerUrl: string;
  /** The cell's NEXTAUTH_SECRET: the runner decrypts the session cookie as the app does. */
  secret: string;
  /** A new browser with an empty cookie jar (so an issuer session of one check never carries over to the next). */
  newBrowser: () => HttpBrowser;
  /** The demo user the issuer's form accepts. */
  user: PasswordCredentials & { name: string; email: string };
  /** Writes a line to the cell's log. */
  note: (line: string) => void;
}

/** The session cookie the browser holds, decrypted with the app's secret as next-auth does; throws when there is none. */
export async function decodeSessionCookie(browser: HttpBrowser, context: Pick<HostCheckContext, 'app' | 'secret'>): Promise<JWT> {
  const cookie = readSessionCookie(browser, context.app);
  if (!cookie) {
    const held = browser.jar.matching(new URL(context.app.authUrl)).map((c) => c.name);
    throw new Error(`no session cookie named ${sessionCookieName(context.app)}; the browser holds: ${held.join(', ') || 'none'}`);
  }
  const token = await decode({ token: cookie, secret: context.secret });
  if (!token) throw new Error('the session cookie does not decrypt with the app’s NEXTAUTH_SECRET');
  return token;
}

/** Throws unless every claim of `expected` is in `session` with the same value. */
export function expectSessionClaims(session: NextAuthSession, expected: Record<string, unknown> | undefined, what: string): void {
  for (const [claim, value] of Object.entries(expected ?? {})) {
    if (JSON.stringify(session[claim]) !== JSON.stringify(value)) {
      throw new Error(`${what}: /session has ${claim}=${JSON.stringify(session[claim])}, not ${JSON.stringify(value)}`);
    }
  }
}

/**
 * The host's own pages, where `authOptions.pages` sends the browser: `GET /signin` redirects to the sign-in
 * page and an error to the error page (with `error=`), and both pages answer 200.
 */
export async function checkCustomPages(browser: HttpBrowser, app: NextAuthApp, pages: NonNullable<CompatCell['pages']>): Promise<string> {
  const origin = new URL(app.authUrl).origin;
  const checks: [string, string | undefined, string][] = [
    [`${app.authUrl}/signin`, pages.signIn, 'sign-in page'],
    [`${app.authUrl}/error?error=AccessDenied`, pages.error, 'error page'],
  ];
  const seen: string[] = [];
  for (const [from, page, what] of checks) {
    if (!page) continue;
    const first = await browser.send(from);
    const target = first.location;
    if (!target || `${target.origin}${target.pathname}` !== `${origin}${page}`) {
      throw new Error(`GET ${from} answered ${first.status} ${target?.href ?? ''}, not a redirect to the ${what} ${origin}${page}`);
    }
    if (what === 'error page' && target.searchParams.get('error') !== 'AccessDenied') {
      throw new Error(`the error page URL ${target.href} does not carry error=AccessDenied`);
    }
    const landing = await browser.follow(target);
    if (landing.response.status !== 200) throw new Error(`the ${what} ${target.href} answered ${landing.response.status}`);
    seen.push(page);
  }
  return seen.join(', ');
}

/**
 * The host's other sign-ins next to Logto, each in a new browser: sign-in → `/session` with the user and
 * the host's claims, no error, no Logto tokens in the cookie and no grant at the issuer while reading it
 * → next-auth's own sign-out (no end_session; for an OAuth provider the issuer session stays open). Then a
 * switch: a Logto sign-in followed by a Credentials one in the same browser leaves no Logto token behind.
 */
export async function checkHostProviders(providers: HostProvider[], context: HostCheckContext): Promise<string> {
  const done: string[] = [];
  for (const provider of providers) {
    const browser = context.newBrowser();
    try {
      await checkProvider(browser, provider, context);
    } finally {
      context.note(`requests (${provider.id}):\n${browser.history.map((line) => `  ${line}`).join('\n')}`);
    }
    done.push(provider.id);
  }
  const credentials = providers.find((provider) => provider.kind === 'credentials');
  if (credentials) {
    const browser = context.newBrowser();
    try {
      await checkSwitchFromLogto(browser, credentials, context);
    } finally {
      context.note(`requests (logto → ${credentials.id}):\n${browser.history.map((line) => `  ${line}`).join('\n')}`);
    }
    done.push(`logto → ${credentials.id}`);
  }
  return done.join(', ');
}

async function checkProvider(browser: HttpBrowser, provider: HostProvider, context: HostCheckContext): Promise<void> {
  const app: NextAuthApp = { ...context.app, providerId: provider.id };
  const grantsBefore = await countGrants(context.issuerUrl);
  let session: NextAuthSession;
  if (provider.kind === 'credentials') {
    if (!provider.credentials) throw new Error(`${provider.id}: a credentials provider needs its form fields in cells.ts`);
    session = await signInWithCredentials(browser, app, provider.id, provider.credentials);
  } else {
    session = (await signInWithPassword(browser, app, context.endpoints, context.user)).session;
  }
  context.note(`${provider.id}: signed in; session: ${JSON.stringify(session)}`);
  expectUser(session, provider.session, provider.id);
  await expectNoLogtoTokens(browser, provider.id, context);

  // A session of another provider is read without a refresh: the kit leaves it alone.
  const grantsSignedIn = await countGrants(context.issuerUrl);
  for (let read = 0; read < 2; read++) expectUser(await readSession(browser, app), provider.session, `${provider.id}, read again`);
  const grantsAfterReads = await countGrants(context.issuerUrl);
  if (grantsAfterReads !== grantsSignedIn) {
    throw new Error(`${provider.id}: reading the session made ${grantsAfterReads - grantsSignedIn} grant(s) at the issuer (a refresh attempt)`);
  }
  const expectedGrants = provider.kind === 'oauth' ? 1 : 0;
  if (grantsSignedIn - grantsBefore !== expectedGrants) {
    throw new Error(`${provider.id}: the sign-in made ${grantsSignedIn - grantsBefore} grant(s) at the issuer, not ${expectedGrants}`);
  }

  const out = await signOutLocally(browser, app, context.endpoints);
  context.note(`${provider.id}: signed out to ${out.redirectUrl.href}`);
  if (out.session.user) throw new Error(`${provider.id}: /session still shows ${JSON.stringify(out.session.user)} after sign-out`);
  const leftover = leftoverSessionCookies(browser, app);
  if (leftover.length > 0) throw new Error(`${provider.id}: session cookies left after sign-out: ${leftover.join(', ')}`);
  if (provider.kind === 'oauth') {
    // next-auth's own sign-out leaves the issuer alone: its session is still open, so no end_session ran.
    const probe = await probeIssuerSession(browser, app, context.endpoints);
    if (probe !== 'signed-in') throw new Error(`${provider.id}: the issuer session ended on a sign-out that was not Logto's`);
  }
}

async function checkSwitchFromLogto(browser: HttpBrowser, provider: HostProvider, context: HostCheckContext): Promise<void> {
  await signInWithPassword(browser, context.app, context.endpoints, context.user);
  const logtoToken = await decodeSessionCookie(browser, context);
  if (logtoToken.provider !== 'logto' || typeof logtoToken.refreshToken !== 'string') {
    throw new Error(`after the Logto sign-in the cookie holds provider=${String(logtoToken.provider)} and no refresh token`);
  }
  const session = await signInWithCredentials(browser, context.app, provider.id, provider.credentials ?? {});
  context.note(`logto → ${provider.id}: session ${JSON.stringify(session)}`);
  expectUser(session, provider.session, `logto → ${provider.id}`);
  await expectNoLogtoTokens(browser, provider.id, context);
  const out = await signOutLocally(browser, context.app, context.endpoints);
  if (out.session.user) throw new Error(`logto → ${provider.id}: /session still shows ${JSON.stringify(out.session.user)} after sign-out`);
}

function expectUser(session: NextAuthSession, expected: HostProvider['session'], what: string): void {
  const user = session.user;
  if (user?.name !== expected.name || user.email !== expected.email) {
    throw new Error(`${what}: /session shows ${JSON.stringify(user ?? null)}, not ${expected.name} <${expected.email}>`);
  }
  if (session.error) throw new Error(`${what}: /session carries error=${session.error}`);
  expectSessionClaims(session, expected.claims, what);
}

async function expectNoLogtoTokens(browser: HttpBrowser, providerId: string, context: HostCheckContext): Promise<void> {
  const token = await decodeSessionCookie(browser, context);
  if (token.provider !== providerId) throw new Error(`the session cookie says provider=${String(token.provider)}, not ${providerId}`);
  const kept = LOGTO_TOKEN_FIELDS.filter((field) => token[field] !== undefined);
  if (kept.length > 0) throw new Error(`a ${providerId} session cookie still holds Logto's ${kept.join(', ')}`);
}

/**
 * The grants the issuer's token endpoint served so far, all or of one `grantType` such as `refresh_token`
 * (`GET /admin/metrics`, scripts/local-issuer/admin-routes.mjs).
 */
export async function countGrants(issuerUrl: string, grantType?: string): Promise<number> {
  const response = await fetch(`${issuerUrl}/admin/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (response.status !== 200) throw new Error(`GET ${issuerUrl}/admin/metrics answered ${response.status}`);
  const { grants } = (await response.json()) as { grants: Record<string, number> };
  if (grantType) return grants[grantType] ?? 0;
  return Object.values(grants).reduce((sum, count) => sum + count, 0);
}
