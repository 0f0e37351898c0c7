import { createHash } from 'node:crypto';
import type { Client } from 'openid-client';
import type { AuthLogger } from '../log/logger';
import type { RequestContext } from '../next-auth/session-cookie';
import type { RequestSessionReader } from '../session/request-session';
import { createTtlCache, type TtlCache } from '../store/ttl-cache';
import type {} from '../types/next-auth';

/** One organization of the user as Logto's userinfo describes it (`organization_data`). */
export interface LogtoOrganizationData {
  id: string;
  /** The name set in Logto Console → Organizations. */
  name: string;
  description: string | null;
}

/** The kit's reader of organization names, for pages that show the user's organizations. */
export interface LogtoOrganizationDirectory {
  /**
   * The signed-in user's organizations with names, from userinfo's `organization_data` (scope
   * `urn:logto:scope:organizations`), cached per session for a few minutes; null when there is no Logto
   * session or userinfo fails (logged once): show the ids from `session.user.organizations` then.
   */
  getOrganizationData(ctx: RequestContext): Promise<LogtoOrganizationData[] | null>;
}

/** What {@link createOrganizationDirectory} needs from the kit. */
export interface OrganizationDirectoryContext {
  getClient(): Promise<Client>;
  /** The request's Logto session (a revoked one gets no names). */
  readSession: RequestSessionReader;
  logger: AuthLogger;
  /** How long names are kept per session, in milliseconds; 5 minutes unless told. */
  ttlMs?: number;
  cache?: TtlCache<LogtoOrganizationData[]>;
  /** Clock in epoch seconds, for token expiry and the cache; tests pass their own. */
  nowSeconds?: () => number;
}

// Names change rarely; a rename shows within this time, and a page view costs no issuer request meanwhile.
const DEFAULT_TTL_MS = 5 * 60 * 1000;

/**
 * Reads organization names from Logto's userinfo endpoint with the session's access token. The names stay
 * in process memory keyed by a hash of the session id, not in the session cookie, which keeps its size.
 * @see https://docs.logto.io/authorization/organization-template
 */
export function createOrganizationDirectory(context: OrganizationDirectoryContext): LogtoOrganizationDirectory {
  const { logger } = context;
  const ttlMs = context.ttlMs ?? DEFAULT_TTL_MS;
  const nowSeconds = context.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const cache = context.cache ?? createTtlCache<LogtoOrganizationData[]>({ maxEntries: 10_000, now: () => nowSeconds() * 1000 });

  return {
    async getOrganizationData(ctx) {
      let read;
      try {
        read = await context.readSession(ctx);
      } catch (error) {
        logger.warn('LOGTO_USERINFO_ERROR', { message: `Organization names are unavailable: ${error instanceof Error ? error.message : String(error)}` });
        return null;
      }
      if ('refused' in read) return null;
      const { id, accessToken, expiresAt } = read.session;
      if (!accessToken) return null;
      const key = createHash('sha256').update(`organization-data\n${id}`).digest('base64url');
      const cached = cache.get(key);
      if (cached) return cached;
      // The request's cookie may still hold the token that this very request refreshed (getServerSession
      // writes the new one to the response only); an expired one would only earn a 401 from Logto.
      if (expiresAt !== undefined && expiresAt <= nowSeconds()) return null;
      try {
        const client = await context.getClient();
        const claims = await client.userinfo<{ organization_data?: unknown }>(accessToken);
        const organizations = readOrganizationData(claims.organization_data);
        cache.set(key, organizations, ttlMs);
        return organizations;
      } catch (error) {
        logger.warn('LOGTO_USERINFO_ERROR', {
          message: `Organization names are unavailable, showing ids instead: ${error instanceof Error ? error.message : String(error)}`,
        });
        return null;
      }
    },
  };
}

/** The well-formed entries of Logto's `organization_data` claim; anything else is dropped. */
function readOrganizationData(value: unknown): LogtoOrganizationData[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): LogtoOrganizationData[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { id, name, description } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || typeof name !== 'string') return [];
    return [{ id, name, description: typeof description === 'string' ? description : null }];
  });
}
