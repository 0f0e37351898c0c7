import type { NextApiRequest, NextApiResponse } from 'next';
import NextAuth, { type EventCallbacks, type NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { createLogtoAccessTokens, type AccessTokenStore, type LogtoAccessTokens } from './api-tokens/access-tokens';
import { receiveBackchannelLogout } from './logout/backchannel-logout';
import { composeLogtoCallbacks } from './session/callbacks';
import { cacheDiscovery, type CachedOidcProvider } from './oidc/discovery-cache';
import type { LogtoEnv } from './env';
import { redirectToAuthError } from './next-auth/send-redirect';
import { readSessionFast, type FastSessionRead } from './next-auth/fast-session-read';
import { warnOnLargeSessions } from './log/large-session-warning';
import { authLogger, type AuthLogger } from './log/logger';
import { verifyLogoutToken, type LogoutTokenClaims } from './logout/logout-token';
import { createIssuerKeys } from './oidc/issuer-keys';
import { createOrganizationDirectory, type LogtoOrganizationDirectory } from './api-tokens/organization-data';
import type { LogtoProfile } from './profile';
import type { RefreshContext } from './session/refresh-access-token';
import { composeRedirect, sanitizeCallbackUrls } from './next-auth/redirect';
import { createRedisRefreshSingleFlight } from './store/redis-refresh-single-flight';
import { trackRedisKeys } from './store/redis-key-tracking';
import { createRedisSessionRevocations, revocationKeyPrefix } from './store/redis-session-revocations';
import { createRefreshSingleFlight, type RefreshSingleFlight } from './session/refresh-single-flight';
import { createMemorySessionRevocations, type SessionRevocations } from './logout/session-revocations';
import { createSharedStore, type SharedStoreClient } from './store/shared-store';
import { createMemorySessionTokenStore, createRedisSessionTokenStore, type SessionTokenStore } from './store/session-token-store';
import { keepTokensOnServer } from './session/server-side-tokens';
import { createSessionJwt } from './next-auth/session-jwt';
import { signOutAtLogto } from './logout/sign-out';
import { deriveNextAuthSettings, resolveAuthUrls } from './next-auth/settings';
import { verifyBearerToken, type AccessTokenRequirements, type BearerVerdict } from './api-tokens/verify-access-token';
import { usesDatabaseSessions } from './next-auth/session-strategy';
import { createCookieSessionReader, type RequestSessionReader } from './session/request-session';
import type { LogtoDatabaseStore } from './database/account-token-store';
import type { DatabaseSessionContext } from './database/database-session';
import { createAccountCache } from './database/account-cache';
import { createDatabaseSessionReader } from './database/database-request-session';
import { linkLogtoSessions, runSignInRequest } from './database/session-links';
import { endDatabaseSessions } from './database/end-database-sessions';
import { signOutDatabaseSession } from './logout/sign-out-database';
import type {} from './types/next-auth';

/** Options of {@link createLogtoKit}. */
export interface LogtoKitOptions {
  /** The hand-configured `logto` provider literal from the route file. */
  provider: OAuthConfig<LogtoProfile>;
  /** The validated environment ({@link readLogtoEnv}). */
  env: LogtoEnv;
  /** Where failures are logged, one line each with cause and fix; defaults to the console. */
  logger?: AuthLogger;
  /**
   * A Redis client (ioredis) shared by every instance, e.g. `createRedisClient(process.env.REDIS_URL)`: refreshes
   * and back-channel logouts then span instances. Unset: both stay in this process's memory (one instance).
   */
  redis?: SharedStoreClient;
  /** Deduplicates refreshes; overrides the one built for `redis` (or the per-process default). */
  singleFlight?: RefreshSingleFlight;
  /** Keeps resource and organization tokens until shortly before they expire; the default is per process. */
  accessTokenStore?: AccessTokenStore;
  /** Where sign-outs and back-channel logouts are recorded; overrides the one built for `redis` (or the in-memory default). */
  revocations?: SessionRevocations;
  /**
   * Where a JWT session keeps Logto's tokens (default `'cookie'`). `'server'`: in `redis` (else this process's
   * memory, for one instance), the cookie holding only a handle, so it stays one chunk however many
   * organizations the id_token lists. Database sessions keep them in the Account row either way.
   */
  tokenStorage?: 'cookie' | 'server';
  /** The store for `tokenStorage: 'server'`; overrides the one built for `redis` (or the in-memory default). */
  sessionTokenStore?: SessionTokenStore;
  /**
   * Database sessions (an adapter, `session.strategy: 'database'`): where Logto's tokens and the kit's session links
   * live, e.g. `createPrismaAccountStore(db)` or `createSqlAccountStore({ query, dialect })` (docs/database-sessions.md).
   * Refreshes and logouts then span instances through the database itself.
   */
  database?: LogtoDatabaseStore;
}

/** The Logto kit wired to one provider: next-auth options and the route handler. */
export interface LogtoKit extends CachedOidcProvider<LogtoProfile>, LogtoAccessTokens, LogtoOrganizationDirectory {
  logger: AuthLogger;
  /** The validated environment the kit was created with. */
  env: LogtoEnv;
  /**
   * Checks an `Authorization: Bearer <Logto access token>` header for your API: signature from the cached JWKS,
   * iss, aud, exp, iat, nbf (one clock skew), typ, scopes, organization. Never throws; a refusal carries the
   * RFC 6750 status and error.
   */
  verifyAccessToken(authorization: string | string[] | undefined, requirements: AccessTokenRequirements): Promise<BearerVerdict>;
  /**
   * The team's `authOptions` with the kit's callbacks composed in front of theirs; the kit's logger and
   * session-cookie codec (next-auth's format, derived key cached) are defaults their own options override.
   * `redirect` only ever answers a URL on the app's origin (next-auth/redirect.ts).
   */
  withLogto(options: NextAuthOptions): NextAuthOptions;
  /**
   * The `/api/auth/[...nextauth]` route: next-auth, with cached discovery and federated sign-out for Logto,
   * and Logto's back-channel logout at `POST /api/auth/backchannel-logout`.
   */
  handler(options: NextAuthOptions): (req: NextApiRequest, res: NextApiResponse) => Promise<void>;
  /**
   * The store given as `database` (database sessions), read by the drop-in tests to check the Account and link rows;
   * undefined for JWT sessions.
   */
  readonly database?: LogtoDatabaseStore;
}

// Only these actions talk to Logto; the others (session, csrf, providers…) never wait for discovery.
const OAUTH_ACTIONS = new Set(['signin', 'callback']);
// Actions next-auth/react fetches as JSON: a failed one answers JSON, not a redirect.
const JSON_ACTIONS = new Set(['session', 'csrf', 'providers', '_log']);

/**
 * The `error_description` of Logto's app-level access control refusal (Logto ≥ 1.41): oidc-provider's
 * AccessDenied carrying RequestError('oidc.access_denied').message, which is always English.
 * @see https://github.com/logto-io/logto/blob/v1.42.0/packages/core/src/oidc/application-access-control.ts
 */
const APP_ACCESS_DENIED_DESCRIPTION = 'Access denied.';

/**
 * Wires the kit to the `logto` provider: discovery and JWKS cached per process, refresh with single flight
 * in the `jwt` callback, back-channel logouts ending sessions, next-auth's `signOut()` ending the Logto
 * session too, and failures explained. With `redis`, refreshes and logouts are shared across instances.
 */
export function createLogtoKit(options: LogtoKitOptions): LogtoKit {
  const { provider, env } = options;
  const logger = options.logger ?? authLogger;
  const urls = resolveAuthUrls(env.NEXTAUTH_URL);
  const cached = cacheDiscovery(provider, { callbackUrl: urls.callbackUrl(provider.id), logger });
  const getClient = () => cached.getClient();
  const store = options.redis && createSharedStore(options.redis, { logger });
  const refresh: RefreshContext = {
    getClient,
    singleFlight:
      options.singleFlight ??
      (store ? createRedisRefreshSingleFlight({ store, secret: env.NEXTAUTH_SECRET, logger }) : createRefreshSingleFlight()),
    logger,
  };
  const revocations =
    options.revocations ??
    (store
      ? // Every session read asks whether it was revoked; Redis's invalidations let memory answer (store/redis-key-tracking.ts).
        createRedisSessionRevocations({ store, tracked: trackRedisKeys(options.redis, { prefix: revocationKeyPrefix(store), logger }) })
      : createMemorySessionRevocations());
  // One JWKS per process for the JWTs verified with jose, as openid-client keeps one for id_tokens.
  const issuerKeys = createIssuerKeys(async () => (await cached.getClient()).issuer);

  async function verifyBackchannelLogoutToken(token: string) {
    const { issuer } = await cached.getClient();
    return verifyLogoutToken(token, {
      issuer: issuer.metadata.issuer,
      clientId: provider.clientId!,
      algorithm: env.AUTH_LOGTO_ID_TOKEN_ALG,
      keys: issuerKeys,
    });
  }
  const tokenStore =
    options.tokenStorage === 'server'
      ? (options.sessionTokenStore ??
        (store ? createRedisSessionTokenStore({ store, secret: env.NEXTAUTH_SECRET }) : createMemorySessionTokenStore()))
      : undefined;
  const sessionJwt = tokenStore ? keepTokensOnServer(createSessionJwt(), tokenStore, logger) : createSessionJwt();
  const database: DatabaseSessionContext | undefined = options.database && {
    providerId: provider.id,
    refresh: { ...refresh, store: options.database },
    accounts: createAccountCache(options.database),
  };

  let composed: NextAuthOptions | undefined;
  function withLogto(authOptions: NextAuthOptions): NextAuthOptions {
    const databaseSessions = usesDatabaseSessions(authOptions);
    if (databaseSessions && !database) {
      throw new TypeError(
        'authOptions use database sessions (an adapter is set and session.strategy is not "jwt"): pass ' +
          '`database: createPrismaAccountStore(db)` (or createSqlAccountStore) to createLogtoKit, so the kit can refresh ' +
          'and sign out with the tokens in the Account row (docs/database-sessions.md); or set session: { strategy: "jwt" }.',
      );
    }
    const adapter = databaseSessions && database && authOptions.adapter;
    composed = {
      logger,
      ...authOptions,
      ...(adapter && { adapter: linkLogtoSessions(adapter, { store: database.refresh.store, logger }) }),
      // next-auth derives the cookie key with HKDF on every encode and decode, twice per session read;
      // this codec keeps the key and writes the same JWE (next-auth/session-jwt.ts).
      jwt: { ...sessionJwt, encode: warnOnLargeSessions(sessionJwt.encode, logger), ...authOptions.jwt },
      ...(tokenStore && { events: { ...authOptions.events, signOut: forgetStoredTokens(tokenStore, authOptions.events?.signOut) } }),
      callbacks: {
        ...composeLogtoCallbacks(authOptions.callbacks, {
          providerId: provider.id,
          refresh,
          revocations,
          ...(databaseSessions && { database }),
        }),
        redirect: composeRedirect(authOptions.callbacks?.redirect),
      },
    };
    return composed;
  }

  function composedOptions(): NextAuthOptions {
    if (!composed) {
      throw new TypeError('Pass your authOptions through logto.withLogto() before asking for access tokens or organization names');
    }
    return composed;
  }
  const readCookieSession = createCookieSessionReader({
    providerId: provider.id,
    baseUrl: env.NEXTAUTH_URL,
    refresh,
    authOptions: composedOptions,
    revocations,
  });
  const readDatabaseSession =
    database &&
    createDatabaseSessionReader({ providerId: provider.id, baseUrl: env.NEXTAUTH_URL, refresh: database.refresh, authOptions: composedOptions });
  const readSession: RequestSessionReader = (ctx) =>
    readDatabaseSession && usesDatabaseSessions(composedOptions()) ? readDatabaseSession(ctx) : readCookieSession(ctx);
  const tokens = createLogtoAccessTokens({ env, refresh, readSession, store: options.accessTokenStore });
  const directory = createOrganizationDirectory({ getClient, readSession, logger });

  async function verifyAccessToken(authorization: string | string[] | undefined, requirements: AccessTokenRequirements) {
    return verifyBearerToken(authorization, requirements, {
      issuer: env.AUTH_LOGTO_ISSUER,
      algorithms: [env.AUTH_LOGTO_ID_TOKEN_ALG],
      keys: issuerKeys,
    });
  }

  function handler(authOptions: NextAuthOptions) {
    const settings = deriveNextAuthSettings(env.NEXTAUTH_URL, authOptions);
    const { errorPage, home } = settings.urls;
    // Only a custom error page gets next-auth's errors rerouted; next-auth's own page handles them otherwise.
    const errorPageUrl = authOptions.pages?.error ? errorPage : undefined;
    // Database sessions: sign-out, back-channel logout and sign-in work on the adapter's rows.
    const adapter = usesDatabaseSessions(authOptions) ? authOptions.adapter : undefined;
    const databaseStore = adapter && database?.refresh.store;
    const backchannel = {
      verify: verifyBackchannelLogoutToken,
      revocations,
      sessionMaxAgeSeconds: settings.maxAgeSeconds,
      logger,
      ...(adapter &&
        databaseStore && {
          endDatabaseSessions: (claims: LogoutTokenClaims) => endDatabaseSessions(claims, { store: databaseStore, adapter, providerId: provider.id }),
        }),
    };
    return async function auth(req: NextApiRequest, res: NextApiResponse): Promise<void> {
      try {
        await route(req, res);
      } catch (error) {
        // Last resort: no input may yield a 5xx. Bad input next-auth throws on is answered like a refused request.
        logger.error('LOGTO_ROUTE_ERROR', error);
        if (res.headersSent) {
          res.end();
        } else if (JSON_ACTIONS.has(String(([] as string[]).concat(req.query.nextauth ?? [])[0]))) {
          res.status(400).json({});
        } else {
          redirectToAuthError(req, res, errorPage, 'Default');
        }
      }
    };

    async function route(req: NextApiRequest, res: NextApiResponse): Promise<void> {
      sanitizeCallbackUrls(req, { settings, logger });
      const [action, providerId] = ([] as string[]).concat(req.query.nextauth ?? []);
      if (action === 'backchannel-logout' && providerId === undefined) {
        return receiveBackchannelLogout(req, res, backchannel);
      }
      if (!action) {
        // `/api/auth//session` reaches the route with an empty action, which next-auth v4 takes for a missing
        // `[...nextauth]` file and answers with a 500; answer as next-auth does to any unknown action.
        res.status(400).send(`Error: This action with HTTP ${req.method} is not supported by NextAuth.js`);
        return;
      }
      if (action === 'error' && errorPageUrl) {
        // next-auth v4 forwards OAuthSignin/OAuthCallback/Callback errors from here to the sign-in page, which
        // shows nothing; send every error to `pages.error`, which tells the user what happened.
        const error = typeof req.query.error === 'string' ? req.query.error : 'Default';
        return redirectToAuthError(req, res, errorPageUrl, error);
      }
      if (action === 'callback' && providerId === provider.id && req.query.error === 'access_denied' && errorPageUrl) {
        // Logto refused the sign-in (RFC 6749 §4.1.2.1); next-auth would report it as a generic `Callback` error.
        const description = req.query.error_description;
        if (description === APP_ACCESS_DENIED_DESCRIPTION) {
          // App-level access control refused a user who already held a grant for this app (Logto's
          // loadExistingGrant, packages/core/src/oidc/init.ts); a first sign-in is refused on Logto's own page.
          logger.warn('LOGTO_APP_ACCESS_DENIED', {
            error_description: description,
            fix: 'if this user should get in: Logto Console > Applications > this app > Rules, add an allow rule that matches them, and save',
          });
          return redirectToAuthError(req, res, errorPageUrl, 'AppAccessDenied');
        }
        // Otherwise the user cancelled at Logto.
        logger.warn('LOGTO_SIGN_IN_CANCELLED', {
          error_description: typeof description === 'string' ? description.slice(0, 200) : undefined,
        });
        return redirectToAuthError(req, res, errorPageUrl, 'Cancelled');
      }
      if (action === 'signout' && req.method === 'POST') {
        const context = { providerId: provider.id, getClient, home, logger, revocations };
        const signedOut = databaseStore
          ? await signOutDatabaseSession(req, res, authOptions, { ...context, store: databaseStore })
          : await signOutAtLogto(req, res, authOptions, context);
        if (signedOut) return;
      }
      if (action === 'session' && providerId === undefined && req.method === 'GET' && Object.keys(req.query).length === 1) {
        // The session read every page and useSession() pays for, without next-auth's per-request setup and
        // without re-issuing an unchanged cookie before session.updateAge (next-auth/fast-session-read.ts).
        const read = await readSessionFast(req.cookies, authOptions);
        if (read) return sendSession(res, read);
      }
      if (!OAUTH_ACTIONS.has(action) || providerId !== provider.id) {
        await NextAuth(req, res, authOptions);
        return;
      }
      let resolved: OAuthConfig<LogtoProfile>;
      try {
        resolved = await cached.resolveProvider();
      } catch (error) {
        logger.error('LOGTO_DISCOVERY_ERROR', error);
        return redirectToAuthError(req, res, errorPage, action === 'signin' ? 'OAuthSignin' : 'OAuthCallback');
      }
      const providers = authOptions.providers.map((entry) => (entry.id === provider.id ? resolved : entry));
      // The Session row next-auth creates in this request gets linked to the sign-in's sid (database/session-links.ts).
      if (databaseStore) await runSignInRequest(() => NextAuth(req, res, { ...authOptions, providers }) as Promise<void>);
      else await NextAuth(req, res, { ...authOptions, providers });
    }
  }

  return {
    ...cached,
    ...tokens,
    ...directory,
    logger,
    env,
    withLogto,
    handler,
    verifyAccessToken,
    ...(options.database && { database: options.database }),
  };
}

/** next-auth's `events.signOut`, deleting the session's server-side tokens first; the team's own handler runs after. */
function forgetStoredTokens(store: SessionTokenStore, own: EventCallbacks['signOut'] | undefined): EventCallbacks['signOut'] {
  return async (message) => {
    const sessionId = 'token' in message ? message.token?.sessionId : undefined;
    if (typeof sessionId === 'string') await store.delete(sessionId).catch(() => undefined);
    await own?.(message);
  };
}

/** Answers a session read as next-auth's API handler does: its cookies, then its no-cache JSON headers. */
function sendSession(res: NextApiResponse, read: FastSessionRead): void {
  res.status(200);
  if (read.setCookies.length > 0) {
    const previous = res.getHeader('Set-Cookie');
    res.setHeader('Set-Cookie', ([] as string[]).concat((previous as string | string[] | undefined) ?? [], read.setCookies));
  }
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'private, no-cache, no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Expires', '0');
  res.send(read.session);
}
