import { setTimeout as sleep } from 'node:timers/promises';
import type { PostgresCellDatabase } from './cell-database/postgres-cell-database';
import type { CellSessions } from './cell-sessions/cell-sessions';
import { HttpBrowser } from './http-flow/http-browser';
import type { CookieJar } from './http-flow/cookie-jar';
import {
  probeIssuerSession,
  readSession,
  readSessionCookie,
  signInWithPassword,
  signOutFederated,
  type IssuerEndpoints,
  type NextAuthApp,
  type NextAuthSession,
  type PasswordCredentials,
} from './http-flow/next-auth-flow';

// The steps of a cell whose app runs as two `next start` instances on one database behind a load balancer
// (next14-db-postgres): refresh, sign-out and back-channel logout seen from both instances, and a database outage.
// Every check signs in with a browser of its own through the load balancer, then reaches one instance directly.

/** One `next start` of the cell's app, reached directly rather than through the load balancer. */
export interface AppInstance {
  /** `A` or `B`, for messages. */
  name: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** What the instance printed (stdout and stderr), one line each. */
  lines: string[];
  isRunning(): boolean;
}

/** What the steps need: the app's public URLs (the load balancer's), its instances, database and issuer. */
export interface TwoInstanceContext {
  app: NextAuthApp;
  instances: readonly AppInstance[];
  database: PostgresCellDatabase;
  /** The cell's database sessions (cell-sessions/database-sessions.ts): rows captured, expiry moved, rows gone. */
  sessions: CellSessions;
  /** The local issuer's origin, for `GET /admin/metrics` and `POST /admin/sessions/end`. */
  issuerUrl: string;
  endpoints: IssuerEndpoints;
  /** The app's client id at the issuer. */
  clientId: string;
  /** The demo user who signs in: credentials, the name the session shows, the issuer's `sub`. */
  user: PasswordCredentials & { name: string; sub: string };
  note(line: string): void;
}

/** The local issuer's counters (scripts/local-issuer/admin-routes.mjs). */
interface IssuerMetrics {
  grants: Record<string, number | undefined>;
  grantErrors: number;
  revokedGrants: number;
}

const CONCURRENT_READS = 20;

/**
 * Signs in, sets the Account row's `expires_at` in the past, and reads `/api/auth/session` 20 times at once, half at
 * each instance: the issuer must serve exactly one refresh grant, every read must show the user with no error, and
 * the row must hold the new access token and expiry, with no refresh lock left.
 */
export async function checkRefreshAcrossInstances(context: TwoInstanceContext): Promise<string> {
  const { app, instances, database, sessions, user } = context;
  const { browser, userId, captured } = await signInThroughBalancer(context);
  // Waits out the kit's per-process Account row cache first, so that both instances read the expired row.
  context.note(await sessions.expire(browser, captured));

  const metricsBefore = await readIssuerMetrics(context.issuerUrl);
  const reads = await Promise.all(
    Array.from({ length: CONCURRENT_READS }, (_, index) => readSession(browserAt(instances[index % instances.length], browser.jar, app), app)),
  );
  const metricsAfter = await readIssuerMetrics(context.issuerUrl);
  const grants = (metricsAfter.grants.refresh_token ?? 0) - (metricsBefore.grants.refresh_token ?? 0);
  context.note(`issuer metrics before ${JSON.stringify(metricsBefore)}, after ${JSON.stringify(metricsAfter)}`);

  if (grants !== 1) throw new Error(`${CONCURRENT_READS} concurrent reads of an expired session made ${grants} refresh grants, not 1`);
  if (metricsAfter.grantErrors !== metricsBefore.grantErrors) throw new Error('a grant failed at the issuer during the reads');
  if (metricsAfter.revokedGrants !== metricsBefore.revokedGrants) throw new Error('the issuer revoked a grant during the reads (a refresh token used twice?)');
  reads.forEach((session, index) => {
    const at = instances[index % instances.length].name;
    expectUser(session, { name: user.name, id: userId }, `read ${index + 1} (at ${at})`);
  });
  const refreshed = await sessions.capture(browser);
  if (refreshed.tokens.accessToken === captured.tokens.accessToken) throw new Error(`${refreshed.where} still holds the expired access token`);
  const locks = await database.query('SELECT * FROM logto_refresh_lock');
  if (locks.length > 0) throw new Error(`${locks.length} refresh lock rows are left`);
  return `${CONCURRENT_READS} reads (${instances.map((instance) => instance.name).join(', ')} alternately), 1 refresh grant`;
}

/**
 * Signs in, then signs out at instance A as `signOut()` does (POST /api/auth/signout with the CSRF token, the
 * issuer's end_session, its post-logout redirect): the cookies the browser held before then read no session at
 * either instance, the Session row is gone, and the issuer asks for the password again.
 */
export async function checkSignOutOnBoth(context: TwoInstanceContext): Promise<string> {
  const { app, instances, sessions, endpoints } = context;
  const [first] = instances;
  if (!first) throw new Error('the cell runs no instance');
  const { browser, userId, captured } = await signInThroughBalancer(context);
  for (const instance of instances) expectUser(await readSession(browserAt(instance, browser.jar, app), app), { id: userId }, `before sign-out, at ${instance.name}`);
  const cookies = browser.jar.headerFor(new URL(app.authUrl)) ?? '';

  const out = await signOutFederated(browserAt(first, browser.jar, app), app, endpoints);
  if (!out.endSessionUrl.searchParams.get('id_token_hint')) throw new Error('the end_session URL has no id_token_hint');
  if (out.session.user) throw new Error(`/session at ${first.name} still shows ${JSON.stringify(out.session.user)} after sign-out`);
  for (const instance of instances) {
    const read = await readSessionWithCookies(instance, app, cookies);
    if (read.status !== 200 || JSON.stringify(read.body) !== '{}') {
      throw new Error(`the cookies from before the sign-out still read ${read.status} ${JSON.stringify(read.body)} at ${instance.name}`);
    }
  }
  const gone = await sessions.expectGone(browser, captured);
  const probe = await probeIssuerSession(browser, app, endpoints);
  if (probe !== 'login-form') throw new Error('the issuer session survived the sign-out: a new sign-in went through without the form');
  return `signed out at ${first.name}; the old cookies read {} at ${instances.map((instance) => instance.name).join(' and ')}; ${gone}`;
}

/**
 * Signs in, then has the issuer end the user's sessions (`POST /admin/sessions/end`, which sends a logout token
 * with `sid` to the app's back-channel logout URI through the load balancer): the Session row it names is deleted
 * and the browser's cookies read no session at either instance.
 */
export async function checkBackChannelOnBoth(context: TwoInstanceContext): Promise<string> {
  const { app, instances, sessions, user } = context;
  const { browser, userId, captured } = await signInThroughBalancer(context);
  for (const instance of instances) expectUser(await readSession(browserAt(instance, browser.jar, app), app), { id: userId }, `before the logout, at ${instance.name}`);

  const response = await fetch(`${context.issuerUrl}/admin/sessions/end?sub=${encodeURIComponent(user.sub)}`, { method: 'POST' });
  const ended = (await response.json()) as { notified?: { clientId: string; sid?: string; delivered: boolean; error?: string }[] };
  context.note(`POST /admin/sessions/end answered ${response.status}: ${JSON.stringify(ended)}`);
  const delivery = ended.notified?.find((notified) => notified.clientId === context.clientId);
  if (!delivery) throw new Error(`the issuer sent no logout token to the app (${response.status} ${JSON.stringify(ended)})`);
  if (!delivery.delivered) throw new Error(`the app refused the logout token: ${delivery.error ?? 'no reason'}`);
  if (!delivery.sid) throw new Error('the logout token carried no sid');

  const gone = await sessions.expectGone(browser, captured);
  for (const instance of instances) {
    const session = await readSession(browserAt(instance, browser.jar, app), app);
    if (session.user) throw new Error(`${instance.name} still shows ${JSON.stringify(session.user)} after the back-channel logout`);
  }
  return `logout token (sid): ${gone}; {} at ${instances.map((instance) => instance.name).join(' and ')}`;
}

/**
 * Signs in, kills PostgreSQL (SIGKILL, as a crash), and reads the session and the app's pages at both instances:
 * no answer is a 5xx, `/api/auth/session` answers `{}` and keeps the session cookie, `/books` shows getAccessToken's
 * `database_error`, each instance logs a line that names the database and the fix, and none exits. Once PostgreSQL
 * is back on the same data, the same cookie reads the user again at both.
 */
export async function checkDatabaseOutage(context: TwoInstanceContext): Promise<string> {
  const { app, instances, database } = context;
  const { browser, userId, captured } = await signInThroughBalancer(context);
  const sessionToken = captured.cookie;
  for (const instance of instances) await expectSignedInAt(instance, browser, context, userId, 'before the outage');

  const marks = instances.map((instance) => instance.lines.length);
  await database.kill();
  context.note('PostgreSQL killed');
  const answers: string[] = [];
  const pageStatuses: string[] = [];
  try {
    for (const instance of instances) {
      const at = browserAt(instance, browser.jar, app);
      const session = await at.send(`${app.authUrl}/session`);
      answers.push(`${instance.name} /api/auth/session ${session.status} ${session.body}`);
      if (session.status !== 200) throw new Error(`with the database down, /api/auth/session at ${instance.name} answered ${session.status}`);
      if (session.body.trim() !== '{}') throw new Error(`with the database down, /api/auth/session at ${instance.name} answered ${session.body}`);
      if (readSessionCookie(browser, app) !== sessionToken) throw new Error(`with the database down, ${instance.name} cleared the session cookie`);
      for (const path of ['/account', '/books', '/']) {
        const page = await at.send(new URL(path, app.homeUrl));
        answers.push(`${instance.name} ${path} ${page.status}${page.location ? ` → ${page.location.pathname}` : ''}`);
        pageStatuses.push(`${path} ${page.status} at ${instance.name}`);
        if (page.status >= 500) throw new Error(`with the database down, ${path} at ${instance.name} answered ${page.status}`);
        // logto.getAccessToken finds the session through the adapter: with the database down it throws code database_error.
        if (path === '/books' && !page.body.includes('The books API is unavailable (database_error)')) {
          throw new Error(`with the database down, /books at ${instance.name} did not show getAccessToken's database_error (${page.status})`);
        }
      }
    }
    context.note(`answers with the database down:\n  ${answers.join('\n  ')}`);
    for (const [index, instance] of instances.entries()) {
      // next-auth's own session read fails first and logs SESSION_ERROR (the kit's logger adds the cause and the fix).
      const line = await waitForLine(instance, marks[index], (text) => /SESSION_ERROR: .*database.*Fix: check that the database runs/.test(text));
      if (!line) throw new Error(`${instance.name} logged no SESSION_ERROR line naming the database and the fix:\n${instance.lines.slice(marks[index]).join('\n')}`);
      context.note(`${instance.name} logged: ${line}`);
      if (!instance.isRunning()) throw new Error(`${instance.name} exited during the outage`);
    }
  } finally {
    await database.restart();
    context.note('PostgreSQL started again on the same data directory and port');
  }

  for (const instance of instances) await expectSignedInAt(instance, browser, context, userId, 'once PostgreSQL was back');
  if (!(await database.findSession(sessionToken))) throw new Error('the Session row is gone after the outage');
  return `no 5xx while down (/api/auth/session {} with the cookie kept; ${pageStatuses.join(', ')}); the session is back at ${instances.map((instance) => instance.name).join(' and ')}`;
}

/** A new browser signed in as the demo user through the load balancer; its User, Account and Session rows checked. */
async function signInThroughBalancer(context: TwoInstanceContext) {
  const browser = new HttpBrowser();
  const signedIn = await signInWithPassword(browser, context.app, context.endpoints, context.user);
  const captured = await context.sessions.capture(browser);
  const row = await context.database.findSession(captured.cookie);
  if (!row) throw new Error('no Session row has the session cookie');
  expectUser(signedIn.session, { name: context.user.name, id: row.userId }, 'after sign-in');
  return { browser, userId: row.userId, captured };
}

/** `/api/auth/session` and the server-rendered `/account` at `instance` show the user; `/books` has its API token. */
async function expectSignedInAt(instance: AppInstance, browser: HttpBrowser, context: TwoInstanceContext, userId: string, when: string) {
  const at = browserAt(instance, browser.jar, context.app);
  expectUser(await readSession(at, context.app), { name: context.user.name, id: userId }, `${when}, at ${instance.name}`);
  for (const [path, text] of [['/account', context.user.name], ['/books', 'Books API token ready']] as const) {
    const page = await at.send(new URL(path, context.app.homeUrl));
    if (page.status !== 200 || !page.body.includes(text)) throw new Error(`${when}, ${path} at ${instance.name} answered ${page.status} without "${text}"`);
  }
}

/**
 * A browser sharing `jar` whose requests to the app's public origin (the load balancer) go to `instance` instead,
 * as a balancer that picked that instance would send them; URLs, cookies and redirects stay the public ones.
 */
function browserAt(instance: AppInstance, jar: CookieJar, app: NextAuthApp): HttpBrowser {
  const publicOrigin = new URL(app.authUrl).origin;
  return new HttpBrowser({
    jar,
    transport: (url) => (url.origin === publicOrigin ? new URL(`${url.pathname}${url.search}`, instance.origin) : url),
  });
}

/** `GET /api/auth/session` at `instance` with a `Cookie` header captured earlier. */
async function readSessionWithCookies(instance: AppInstance, app: NextAuthApp, cookies: string) {
  const response = await fetch(new URL(new URL(`${app.authUrl}/session`).pathname, instance.origin), { headers: { cookie: cookies } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the message shows the text.
  }
  return { status: response.status, body };
}

function expectUser(session: NextAuthSession, expected: { name?: string; id: string }, when: string): void {
  if (session.error) throw new Error(`${when}: /session carries error=${session.error}`);
  if (session.user?.id !== expected.id || (expected.name && session.user.name !== expected.name)) {
    throw new Error(`${when}: /session shows ${JSON.stringify(session.user ?? null)}, not user ${expected.id}${expected.name ? ` (${expected.name})` : ''}`);
  }
}

async function readIssuerMetrics(issuerUrl: string): Promise<IssuerMetrics> {
  const response = await fetch(`${issuerUrl}/admin/metrics`);
  if (response.status !== 200) throw new Error(`GET /admin/metrics at the issuer answered ${response.status}`);
  return (await response.json()) as IssuerMetrics;
}

/** The first line `instance` printed after line `mark` that `matches`, waiting up to 3 s for its output to arrive. */
async function waitForLine(instance: AppInstance, mark: number, matches: (line: string) => boolean): Promise<string | undefined> {
  for (let waited = 0; waited <= 3000; waited += 100) {
    const line = instance.lines.slice(mark).find(matches);
    if (line) return line;
    await sleep(100);
  }
  return undefined;
}
