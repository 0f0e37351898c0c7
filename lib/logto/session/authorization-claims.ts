import { decodeJwt } from 'jose';
import { createTtlCache } from '../store/ttl-cache';

/** One organization of the user, from Logto's `organizations` and `organization_roles` claims. */
export interface LogtoOrganization {
  id: string;
  /** The user's organization roles there; empty without the `urn:logto:scope:organization_roles` scope. */
  roles: string[];
}

/** The user's global roles and organizations, as Logto's id_token states them. */
export interface LogtoAuthorizationClaims {
  /** Global role names; empty without the `roles` scope. */
  roles: string[];
  /** Empty without the `urn:logto:scope:organizations` scope. */
  organizations: LogtoOrganization[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];

/**
 * Reads `roles`, `organizations` and `organization_roles` ("<organization id>:<role>") from the session's
 * id_token, which openid-client verified at sign-in and at each refresh. Logto puts them there since 1.37
 * when the `roles` / organization scopes are granted; absent claims give empty arrays.
 * @see https://docs.logto.io/developers/custom-id-token
 */
export function readAuthorizationClaims(idToken: string | undefined): LogtoAuthorizationClaims {
  // Every session read asks this of the same id_token until the next refresh: decode it once.
  let read = idToken ? readClaims.get(idToken) : undefined;
  if (!read) {
    read = decodeAuthorizationClaims(idToken);
    if (idToken) readClaims.set(idToken, read, READ_CLAIMS_TTL_MS);
  }
  // Copies: a team's session callback may change what it gets.
  return { roles: read.roles.slice(), organizations: read.organizations.map(({ id, roles }) => ({ id, roles: roles.slice() })) };
}

// id_tokens already read; an id_token is public to its holder, and holds no secret.
const readClaims = createTtlCache<LogtoAuthorizationClaims>({ maxEntries: 1000 });
const READ_CLAIMS_TTL_MS = 60 * 60 * 1000;

function decodeAuthorizationClaims(idToken: string | undefined): LogtoAuthorizationClaims {
  let claims: Record<string, unknown> = {};
  try {
    if (idToken) claims = decodeJwt(idToken);
  } catch {
    claims = {};
  }
  const organizationRoles = strings(claims.organization_roles);
  return {
    roles: strings(claims.roles),
    organizations: strings(claims.organizations).map((id) => ({
      id,
      roles: organizationRoles.filter((entry) => entry.startsWith(`${id}:`)).map((entry) => entry.slice(id.length + 1)),
    })),
  };
}
