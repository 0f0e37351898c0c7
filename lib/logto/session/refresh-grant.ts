import { errors, TokenSet, type Client } from 'openid-client';
import type { AuthLogger } from '../log/logger';
import type { RefreshSingleFlight } from './refresh-single-flight';
import { createTtlCache, type TtlCache } from '../store/ttl-cache';

/** What one refresh grant asks Logto for: the session's own access token (`{}`), an API resource's, an organization's. */
export interface GrantTarget {
  /** An API resource indicator (RFC 8707 `resource`). */
  resource?: string;
  /** A Logto organization id (`organization_id`); alone, it asks for the organization token. */
  organizationId?: string;
}

/** The session's Logto tokens, as the session cookie holds them. */
export interface SessionTokens {
  refreshToken: string;
  /** The session's own (opaque, userinfo) access token; resource tokens never replace it. */
  accessToken?: string;
  /** When `accessToken` expires, epoch seconds. */
  expiresAt?: number;
  idToken?: string;
}

/** The outcome of one refresh grant, as shared through the single flight (plain JSON, for a shared store too). */
export type GrantStep =
  | {
      ok: true;
      /** {@link targetKey} of the target the grant was for. */
      target: string;
      accessToken: string;
      /** Epoch seconds. */
      expiresAt?: number;
      scope?: string;
      /** The refresh token after the grant: the rotated one, or the old one when Logto returned none. */
      refreshToken: string;
      idToken?: string;
    }
  | {
      ok: false;
      target: string;
      /** The OAuth error code (`invalid_grant`, `invalid_target`, `access_denied`…) or `request_failed`. */
      error: string;
      /** The token endpoint's HTTP status, when it answered. */
      status?: number;
      description?: string;
    };

/** Remembers which refresh tokens were rotated into which, so a request carrying an older cookie follows along. */
export type RotationLedger = TtlCache<GrantStep & { ok: true }>;

/** How long a rotation is remembered: Logto's default refresh token lifetime, 14 days (milliseconds). */
export const ROTATION_MEMORY_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * A per-process {@link RotationLedger}, keyed by the old refresh token (no hash: every entry holds the new
 * refresh token in clear anyway, and a session read looks one up on every request).
 */
export function createRotationLedger(maxEntries = 10_000): RotationLedger {
  return createTtlCache({ maxEntries });
}

/** What {@link runRefreshGrant} needs. */
export interface RefreshGrantContext {
  getClient(): Promise<Client>;
  singleFlight: RefreshSingleFlight;
  logger: AuthLogger;
  /** Defaults to one ledger per process. */
  rotations?: RotationLedger;
}

/** The session's own refresh (no `resource`, no `organization_id`). */
export const SESSION_TARGET: GrantTarget = {};

/** A stable string for a target; `''` is the session's own refresh. */
export function targetKey({ resource, organizationId }: GrantTarget): string {
  return [resource ? `resource=${resource}` : '', organizationId ? `organization_id=${organizationId}` : '']
    .filter(Boolean)
    .join('&');
}

// One process, one ledger: every kit in the process shares what it learnt about rotations.
const processLedger = createRotationLedger();

// Each hop follows one rotation made by a concurrent grant for another target; more than this many
// concurrent targets for one session is not a pattern worth serving.
const MAX_HOPS = 16;

/** The session tokens after `step`: the new refresh token; the new access token only if the step was the session's. */
function applyStep(session: SessionTokens, step: GrantStep & { ok: true }): SessionTokens {
  const own = step.target === '';
  return {
    refreshToken: step.refreshToken,
    accessToken: own ? step.accessToken : session.accessToken,
    expiresAt: own ? step.expiresAt : session.expiresAt,
    idToken: step.idToken ?? session.idToken,
  };
}

/**
 * The session tokens with every rotation this process knows of applied: a request that still carries a
 * cookie from before a rotation (a concurrent request wrote the new one) gets the newest refresh token.
 */
export function followRotations(session: SessionTokens, rotations: RotationLedger = processLedger): SessionTokens {
  let current = session;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const step = rotations.get(current.refreshToken);
    if (!step || step.refreshToken === current.refreshToken) return current;
    current = applyStep(current, step);
  }
  return current;
}

/**
 * Runs a refresh grant for `target` on the session's refresh token. Logto may rotate the refresh token on
 * any refresh grant, resource and organization ones included (a confidential client's once 70 % of its 14-day
 * lifetime has passed; the same token comes back before that), and revokes the whole grant when a rotated
 * one is used again; so every grant of one session runs one after the other through the single flight keyed
 * by the session's tokens, and a grant that finds another target's grant under way continues from the
 * refresh token that grant returned. Returns the step for `target` and the session tokens after it.
 * @see https://datatracker.ietf.org/doc/html/rfc8707#section-2.2
 */
export async function runRefreshGrant(
  context: RefreshGrantContext,
  session: SessionTokens,
  target: GrantTarget,
  { minValiditySeconds = 0, nowSeconds = Math.floor(Date.now() / 1000) } = {},
): Promise<{ step: GrantStep; session: SessionTokens }> {
  const rotations = context.rotations ?? processLedger;
  const wanted = targetKey(target);
  let current = session;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const from = current;
    const known = rotations.get(from.refreshToken);
    if (known) {
      // This refresh token was already rotated, by a request whose cookie this one predates: its result
      // serves this target while still valid; otherwise continue from the refresh token it returned.
      const valid = known.expiresAt === undefined || nowSeconds < known.expiresAt - minValiditySeconds;
      if (known.target === wanted && valid) return { step: known, session: applyStep(from, known) };
      current = applyStep(from, known);
      continue;
    }
    const key = `${from.refreshToken}\n${from.accessToken ?? ''}`;
    const step = await context.singleFlight.run(key, () => grantOnce(context, from, target));
    if (step.target === wanted) {
      if (!step.ok) return { step, session: from };
      remember(rotations, from.refreshToken, step);
      return { step, session: applyStep(from, step) };
    }
    if (!step.ok || step.refreshToken === from.refreshToken) {
      // The other target's grant failed, or the issuer does not rotate refresh tokens: this refresh token is
      // still the newest, so this target gets a grant of its own with it.
      const own = await context.singleFlight.run(`${key}\n${wanted}`, () => grantOnce(context, from, target));
      if (!own.ok) return { step: own, session: from };
      remember(rotations, from.refreshToken, own);
      return { step: own, session: applyStep(from, own) };
    }
    remember(rotations, from.refreshToken, step);
    current = applyStep(from, step);
  }
  return {
    step: { ok: false, target: wanted, error: 'request_failed', description: `more than ${MAX_HOPS} concurrent grants for one session` },
    session: current,
  };
}

function remember(rotations: RotationLedger, oldRefreshToken: string, step: GrantStep & { ok: true }) {
  if (step.refreshToken !== oldRefreshToken) rotations.set(oldRefreshToken, step, ROTATION_MEMORY_MS);
}

/** One refresh_token grant; openid-client validates a returned id_token (signature, iss, aud, same `sub`). */
export async function grantOnce(context: RefreshGrantContext, session: SessionTokens, target: GrantTarget): Promise<GrantStep> {
  const key = targetKey(target);
  try {
    const client = await context.getClient();
    const exchangeBody: Record<string, string> = {};
    if (target.resource) exchangeBody.resource = target.resource;
    if (target.organizationId) exchangeBody.organization_id = target.organizationId;
    const refreshed = await client.refresh(
      new TokenSet({ refresh_token: session.refreshToken, id_token: session.idToken }),
      { exchangeBody },
    );
    if (!refreshed.access_token) throw new Error('The refresh response carries no access_token');
    return {
      ok: true,
      target: key,
      accessToken: refreshed.access_token,
      expiresAt: refreshed.expires_at,
      scope: refreshed.scope,
      refreshToken: refreshed.refresh_token ?? session.refreshToken,
      ...(refreshed.id_token ? { idToken: refreshed.id_token } : {}),
    };
  } catch (error) {
    // Logged here, inside the single flight: once per failed grant, not once per waiting request.
    context.logger.error(key ? 'LOGTO_ACCESS_TOKEN_ERROR' : 'LOGTO_REFRESH_ERROR', error);
    if (error instanceof errors.OPError) {
      return { ok: false, target: key, error: error.error ?? 'request_failed', status: error.response?.statusCode, description: error.error_description };
    }
    return { ok: false, target: key, error: 'request_failed', description: error instanceof Error ? error.message : String(error) };
  }
}
