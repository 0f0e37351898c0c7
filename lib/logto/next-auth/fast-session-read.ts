import type { CallbacksOptions, NextAuthOptions } from 'next-auth';
import type { Adapter } from 'next-auth/adapters';
import { decode as nextAuthDecode, encode as nextAuthEncode, type JWT, type JWTOptions } from 'next-auth/jwt';
import { createCsrfCookieValue, readCsrfCookie, serializeCookie, sessionCookieChunks, type OutgoingCookie } from './cookies';
import { resolveSameOriginUrl } from './redirect';
import { usesDatabaseSessions } from './session-strategy';
import { deriveNextAuthSettings, type NextAuthSettings } from './settings';
import type {} from '../types/next-auth';

/** What {@link readSessionFast} answers: the session next-auth's session route would send, and its cookies. */
export interface FastSessionRead {
  /** The session JSON (`{}` never: a read without a session cookie is left to next-auth). */
  session: Record<string, unknown>;
  /** `Set-Cookie` values, in next-auth's order; without the session cookie when it stays as it is. */
  setCookies: string[];
}

const COOKIE_OPTIONS = new Set(['path', 'domain', 'sameSite', 'secure', 'httpOnly', 'maxAge', 'expires']);

type JwtParams = Parameters<CallbacksOptions['jwt']>[0];
type SessionParams = Parameters<CallbacksOptions['session']>[0];

/**
 * A `GET /api/auth/session` (or `getServerSession`), done as next-auth v4's core/routes/session.ts does it,
 * minus next-auth's per-request setup; `undefined` whenever the request strays from that happy path (no or odd
 * session cookie, decode failure, an expired or missing Session row, an adapter or callback throwing, debug, an
 * unusual secret or cookie option), and the caller then asks next-auth itself.
 *
 * One deliberate difference: next-auth re-encrypts and re-sends the session cookie on every read, which
 * slides its expiry each time. Here it is re-issued only when the `jwt` callback changed the token
 * (compared without iat/exp/jti), or when the cookie is older than `session.updateAge` (default 24 h).
 * The sliding expiry thus moves at most once per updateAge, as next-auth does for database sessions, and
 * `expires` reports the cookie's real expiry when it is not re-issued.
 */
export async function readSessionFast(
  cookies: Partial<Record<string, string>> | undefined,
  authOptions: NextAuthOptions,
): Promise<FastSessionRead | undefined> {
  const setup = resolveSetup(authOptions);
  if (!setup || !cookies || typeof cookies !== 'object') return undefined;
  try {
    return setup.adapter ? await readDatabaseSession(cookies, authOptions, setup, setup.adapter) : await readSession(cookies, authOptions, setup);
  } catch {
    // next-auth clears the cookie or reports the error itself: let it, on its own terms.
    return undefined;
  }
}

async function readSession(
  cookies: Partial<Record<string, string>>,
  authOptions: NextAuthOptions,
  { settings, secret }: Setup,
): Promise<FastSessionRead | undefined> {
  const initCookies = await readInitCookies(cookies, authOptions, settings, secret);
  if (!initCookies) return undefined;

  const store = settings.cookies.sessionToken;
  const chunks = readSessionChunks(cookies, store.name);
  if (!chunks || !cookieOptionsSupported(store.options)) return undefined;

  const { maxAgeSeconds: maxAge, updateAgeSeconds: updateAge } = settings;
  // next-auth's core/init.ts: `jwt.maxAge` defaults to `session.maxAge`.
  const jwt: JWTOptions = { secret, maxAge, encode: nextAuthEncode, decode: nextAuthDecode, ...authOptions.jwt };
  const callbacks = authOptions.callbacks ?? {};
  const decoded = await jwt.decode({ ...jwt, token: chunks.value });
  if (!isPlainObject(decoded)) return undefined;
  // Before the callback runs: it may change the decoded token in place.
  const before = contentOf(decoded);
  const { iat, exp } = decoded;

  const jwtParams = { token: decoded, session: undefined } as unknown as JwtParams;
  const token = callbacks.jwt ? await callbacks.jwt(jwtParams) : decoded;
  if (!isPlainObject(token)) return undefined;

  const nowMs = Date.now();
  const reissue =
    typeof iat !== 'number' || typeof exp !== 'number' || nowMs / 1000 - iat >= updateAge || contentOf(token) !== before;
  const expires = reissue ? new Date(nowMs + maxAge * 1000) : new Date(exp * 1000);
  // next-auth builds the user from the decoded token (after the jwt callback ran on that same object).
  const sessionParams = {
    session: { user: { name: decoded.name, email: decoded.email, image: decoded.picture }, expires: expires.toISOString() },
    token,
  } as unknown as SessionParams;
  const session: unknown = callbacks.session ? await callbacks.session(sessionParams) : sessionParams.session;
  if (!isPlainObject(session) || Object.keys(session).length === 0) return undefined;

  const sessionCookies = reissue
    ? sessionCookieChunks(chunks.names, store, await jwt.encode({ ...jwt, token, maxAge }), expires)
    : [];
  await emitSessionEvent(authOptions, { session, token });
  return { session, setCookies: initCookies.concat(sessionCookies).map(serializeCookie) };
}

/**
 * The database strategy's session read (next-auth v4 core/routes/session.ts, its `else` branch): the Session row
 * and user through the adapter, the row's expiry moved on once `updateAge` passed, the session cookie re-sent with
 * the new expiry as next-auth does on every read. An expired row is left to next-auth, which deletes it.
 */
async function readDatabaseSession(
  cookies: Partial<Record<string, string>>,
  authOptions: NextAuthOptions,
  { settings, secret }: Setup,
  adapter: DatabaseAdapter,
): Promise<FastSessionRead | undefined> {
  const store = settings.cookies.sessionToken;
  const sessionToken = cookies[store.name];
  if (!sessionToken || !cookieOptionsSupported(store.options)) return undefined;
  const initCookies = await readInitCookies(cookies, authOptions, settings, secret);
  if (!initCookies) return undefined;

  const found = await adapter.getSessionAndUser(sessionToken);
  const nowMs = Date.now();
  if (!found || found.session.expires.valueOf() < nowMs) return undefined;
  const { user, session: row } = found;
  const { maxAgeSeconds: maxAge, updateAgeSeconds: updateAge } = settings;
  const expires = new Date(nowMs + maxAge * 1000);
  if (row.expires.valueOf() - maxAge * 1000 + updateAge * 1000 <= nowMs) await adapter.updateSession({ sessionToken, expires });

  const sessionParams = {
    session: { user: { name: user.name, email: user.email, image: user.image }, expires: row.expires.toISOString() },
    user,
    newSession: undefined,
  } as unknown as SessionParams;
  const callback = authOptions.callbacks?.session;
  const session: unknown = callback ? await callback(sessionParams) : sessionParams.session;
  if (!isPlainObject(session) || Object.keys(session).length === 0) return undefined;

  await emitSessionEvent(authOptions, { session });
  const sessionCookie: OutgoingCookie = { name: store.name, value: sessionToken, options: { ...store.options, expires } };
  return { session, setCookies: initCookies.concat(sessionCookie).map(serializeCookie) };
}

/** The adapter methods next-auth's database session read uses. */
type DatabaseAdapter = Required<Pick<Adapter, 'getSessionAndUser' | 'updateSession'>>;

interface Setup {
  settings: NextAuthSettings;
  secret: string;
  /** Database sessions: the adapter (with the methods the read needs); JWT sessions: none. */
  adapter?: DatabaseAdapter;
}

/** next-auth's settings and secret for this request; undefined for setups the fast path leaves to next-auth. */
function resolveSetup(authOptions: NextAuthOptions): Setup | undefined {
  const strategy = authOptions.session?.strategy;
  // A strategy next-auth's types do not know is next-auth's to handle (it reads it as database sessions).
  if (strategy !== undefined && strategy !== 'jwt' && strategy !== 'database') return undefined;
  const database = usesDatabaseSessions(authOptions);
  const adapter = database ? databaseAdapterOf(authOptions.adapter) : undefined;
  if ((database && !adapter) || authOptions.debug === true || authOptions.jwt?.secret !== undefined) return undefined;
  const secret = authOptions.secret ?? process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  // next-auth takes NEXTAUTH_URL first (utils/detect-origin.ts); without it the origin comes from headers.
  const nextAuthUrl = process.env.NEXTAUTH_URL;
  if (!secret || !nextAuthUrl || !/^https?:\/\//.test(nextAuthUrl)) return undefined;
  try {
    return { settings: deriveNextAuthSettings(nextAuthUrl, authOptions), secret, ...(adapter && { adapter }) };
  } catch {
    // A malformed NEXTAUTH_URL: next-auth reports it in its own words.
    return undefined;
  }
}

/**
 * The CSRF and callback-URL cookies next-auth's init sets on every request that lacks them
 * (core/lib/csrf-token.ts, core/lib/callback-url.ts); undefined when next-auth would refuse the request.
 */
async function readInitCookies(
  cookies: Partial<Record<string, string>>,
  authOptions: NextAuthOptions,
  { cookies: { csrfToken: csrf, callbackUrl }, urls }: NextAuthSettings,
  secret: string,
): Promise<OutgoingCookie[] | undefined> {
  const out: OutgoingCookie[] = [];
  if (!cookieOptionsSupported(csrf.options) || !cookieOptionsSupported(callbackUrl.options)) return undefined;

  if (readCsrfCookie(cookies[csrf.name], secret) === undefined) {
    out.push({ name: csrf.name, value: createCsrfCookieValue(secret), options: csrf.options });
  }

  const current = cookies[callbackUrl.name];
  // core/lib/assert.ts answers a 500 to a callback-URL cookie that is no http(s) URL: next-auth's call.
  // A same-origin absolute URL (what next-auth writes; checked once per URL) is an http(s) URL.
  if (current && resolveSameOriginUrl(current, urls.origin) !== current && !isHttpUrl(current, urls.apiBase)) return undefined;
  const redirect = authOptions.callbacks?.redirect ?? defaultRedirect;
  const resolved = current ? await redirect({ url: current, baseUrl: urls.origin }) : urls.origin;
  if (resolved !== current) out.push({ name: callbackUrl.name, value: resolved, options: callbackUrl.options });
  return out;
}

/**
 * The session cookie as next-auth's SessionStore reads it: `<name>` alone or `<name>.0` … `<name>.<n-1>`;
 * undefined for anything else starting with `<name>` (next-auth would join those too, in an odd order).
 */
function readSessionChunks(cookies: Partial<Record<string, string>>, name: string): { value: string; names: string[] } | undefined {
  const names = Object.keys(cookies).filter((key) => key.startsWith(name));
  // Read once into a local: TypeScript before 5.5 (Next 12–14 apps) does not narrow `cookies[name]` itself.
  const single = cookies[name];
  if (names.length === 1 && names[0] === name) return single ? { value: single, names } : undefined;
  if (names.length === 0) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const part = cookies[`${name}.${i}`];
    if (part === undefined) return undefined;
    parts.push(part);
  }
  const value = parts.join('');
  return value ? { value, names } : undefined;
}

// Bound once per adapter rather than on every read; `null`: the adapter lacks a method the read needs.
const boundAdapters = new WeakMap<Adapter, DatabaseAdapter | null>();

/** The adapter's methods bound to it, when it has the ones a database session read needs. */
function databaseAdapterOf(adapter: Adapter | undefined): DatabaseAdapter | undefined {
  if (!adapter) return undefined;
  let bound = boundAdapters.get(adapter);
  if (bound === undefined) {
    const { getSessionAndUser, updateSession } = adapter;
    bound = getSessionAndUser && updateSession ? { getSessionAndUser: getSessionAndUser.bind(adapter), updateSession: updateSession.bind(adapter) } : null;
    boundAdapters.set(adapter, bound);
  }
  return bound ?? undefined;
}

/** events.session, whose errors next-auth logs and swallows (core/errors.ts eventsErrorHandler). */
async function emitSessionEvent(authOptions: NextAuthOptions, message: { session: Record<string, unknown>; token?: JWT }): Promise<void> {
  const handler = authOptions.events?.session;
  if (!handler) return;
  try {
    await handler(message as unknown as Parameters<typeof handler>[0]);
  } catch (error) {
    (authOptions.logger?.error ?? console.error)('SESSION_EVENT_ERROR', error as Error);
  }
}

/** The token as JSON without the claims every write renews. */
function contentOf(token: Record<string, unknown>): string {
  // A copy without them, not a replacer function: JSON.stringify takes its fast path only without one.
  const content: Record<string, unknown> = {};
  for (const key of Object.keys(token)) if (key !== 'iat' && key !== 'exp' && key !== 'jti') content[key] = token[key];
  return JSON.stringify(content);
}

function cookieOptionsSupported(options: object): boolean {
  return Object.keys(options).every((key) => COOKIE_OPTIONS.has(key));
}

// next-auth v4 core/lib/default-callbacks.ts
function defaultRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  if (url.startsWith('/')) return `${baseUrl}${url}`;
  if (new URL(url).origin === baseUrl) return url;
  return baseUrl;
}

// next-auth v4 core/lib/assert.ts isValidHttpUrl
function isHttpUrl(url: string, baseUrl: string): boolean {
  try {
    return /^https?:/.test(new URL(url, url.startsWith('/') ? baseUrl : undefined).protocol);
  } catch {
    return false;
  }
}


function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
