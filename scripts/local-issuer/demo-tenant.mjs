/**
 * The demo tenant's authorization data, shaped like what a Logto Console holds: one API resource
 * with its permissions, global roles, organizations with organization roles, and who holds what.
 * @see https://docs.logto.io/authorization
 */

/** The API resource indicator registered by default (RFC 8707); `LOCAL_ISSUER_API_RESOURCE` overrides it. */
export const DEFAULT_API_RESOURCE = 'https://api.books.example.com';

/** Permissions (scopes) of the demo API resource. */
export const API_RESOURCE_SCOPES = Object.freeze(['read:books', 'write:books']);

/** The scopes an app asks this tenant for (AUTH_LOGTO_SCOPES): the API permissions, roles and organizations. */
export const APP_SCOPES = Object.freeze([
  ...API_RESOURCE_SCOPES,
  'roles',
  'urn:logto:scope:organizations',
  'urn:logto:scope:organization_roles',
]);

/** Logto's reserved resource whose scopes are the organization permissions (RFC 0001). */
export const ORGANIZATION_RESOURCE = 'urn:logto:resource:organizations';

/** Prefix of an organization token's audience: `urn:logto:organization:<id>`. */
export const ORGANIZATION_URN_PREFIX = 'urn:logto:organization:';

/** Global roles, each granting permissions of the API resource. */
const ROLES = Object.freeze({
  reader: ['read:books'],
  writer: ['write:books'],
});

/** Organization permissions (Logto Console → Organization template → Permissions). */
export const ORGANIZATION_SCOPES = Object.freeze(['read:members', 'invite:members']);

/**
 * Organization roles (Organization template → Roles): organization permissions, plus API resource
 * permissions, which Logto grants in tokens for that resource requested with `organization_id`.
 */
const ORGANIZATION_ROLES = Object.freeze({
  admin: { scopes: ['read:members', 'invite:members'], resourceScopes: ['read:books', 'write:books'] },
  member: { scopes: ['read:members'], resourceScopes: ['read:books'] },
});

/**
 * @typedef {object} DemoOrganization
 * @property {string} id
 * @property {string} name
 * @property {string | null} description
 */

/**
 * How many more organizations alice belongs to, from `LOCAL_ISSUER_BULK_ORGANIZATIONS` (default 0): `org-bulk-0001`…,
 * each with the `member` role, to see what hundreds of organizations do to the session cookie (docs/session-size.md).
 */
const BULK_ORGANIZATIONS = bulkOrganizationCount(process.env.LOCAL_ISSUER_BULK_ORGANIZATIONS);
const bulkIds = Array.from({ length: BULK_ORGANIZATIONS }, (_, i) => `org-bulk-${String(i + 1).padStart(4, '0')}`);

/** @type {readonly DemoOrganization[]} */
export const ORGANIZATIONS = Object.freeze([
  { id: 'org-acme', name: 'Acme', description: 'Demo organization: alice is an admin.' },
  { id: 'org-globex', name: 'Globex', description: 'Demo organization: alice is a member.' },
  ...bulkIds.map((id, i) => ({ id, name: `Bulk ${i + 1}`, description: 'Generated: LOCAL_ISSUER_BULK_ORGANIZATIONS.' })),
]);

function bulkOrganizationCount(value) {
  if (value === undefined || value === '') return 0;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0 || count > 5000) {
    throw new Error(`LOCAL_ISSUER_BULK_ORGANIZATIONS must be a whole number from 0 to 5000 (got "${value}"); unset it for the two demo organizations`);
  }
  return count;
}

/** Subject → global role names. */
const USER_ROLES = Object.freeze({
  'alice-demo': ['reader', 'writer'],
});

/** Subject → organization id → organization role names. */
const USER_ORGANIZATION_ROLES = Object.freeze({
  'alice-demo': { 'org-acme': ['admin'], 'org-globex': ['member'], ...Object.fromEntries(bulkIds.map((id) => [id, ['member']])) },
});

/** Names of the user's global roles, as in Logto's `roles` claim. */
export function rolesOf(userId) {
  return [...(USER_ROLES[userId] ?? [])];
}

/**
 * The organizations the user belongs to, each with the user's organization role names.
 * @returns {(DemoOrganization & { roles: string[] })[]}
 */
export function organizationsOf(userId) {
  const memberships = USER_ORGANIZATION_ROLES[userId] ?? {};
  return ORGANIZATIONS.filter((organization) => organization.id in memberships).map((organization) => ({
    ...organization,
    roles: [...memberships[organization.id]],
  }));
}

/** Whether the user is a member of the organization. */
export function isOrganizationMember(userId, organizationId) {
  return Object.hasOwn(USER_ORGANIZATION_ROLES[userId] ?? {}, organizationId);
}

/** The organization permissions the user's roles grant in one organization. */
export function organizationScopesOf(userId, organizationId) {
  const roles = USER_ORGANIZATION_ROLES[userId]?.[organizationId] ?? [];
  return unique(roles.flatMap((role) => ORGANIZATION_ROLES[role].scopes));
}

/**
 * The API resource permissions a user holds, as Logto's `findUserScopesForResourceIndicator`
 * computes them: from the global roles, plus the organization roles of every organization, or of
 * only `organizationId` when the token is requested for one.
 */
export function resourceScopesOf(userId, { organizationId } = {}) {
  const fromRoles = rolesOf(userId).flatMap((role) => ROLES[role]);
  const memberships = Object.entries(USER_ORGANIZATION_ROLES[userId] ?? {}).filter(
    ([id]) => organizationId === undefined || id === organizationId,
  );
  const fromOrganizations = memberships.flatMap(([, roles]) =>
    roles.flatMap((role) => ORGANIZATION_ROLES[role].resourceScopes),
  );
  return unique([...fromRoles, ...fromOrganizations]);
}

function unique(values) {
  return [...new Set(values)];
}
