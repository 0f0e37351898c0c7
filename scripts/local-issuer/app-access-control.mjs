import { errors } from 'oidc-provider';

/**
 * The `error_description` Logto puts on an app-level access refusal: its `errors:oidc.access_denied` phrase
 * (phrases/src/locales/en/errors/oidc.ts), passed to oidc-provider's AccessDenied in
 * core/src/oidc/application-access-control.ts.
 */
export const ACCESS_DENIED_DESCRIPTION = 'Access denied.';

/**
 * @typedef {object} AppAccessControl Logto 1.41's app-level access control for the app, with the users its
 *   rules leave out listed instead of computed from user ids, roles and organizations.
 * @property {boolean} enabled False when the mimicked Logto predates 1.41.
 * @property {(sub: string) => boolean} isAllowed Whether the user may use the app.
 * @property {(sub: string, allowed: boolean) => void} setAllowed Changes the rules, as an admin does in the Console.
 */

/**
 * Creates the access control, refusing `deniedUsers` (user ids). Disabled, it allows everyone and
 * refuses changes.
 * @param {{ enabled: boolean, deniedUsers?: string[] }} options
 * @returns {AppAccessControl}
 * @see https://docs.logto.io/integrate-logto/app-level-access-control
 */
export function createAppAccessControl({ enabled, deniedUsers = [] }) {
  const denied = new Set(deniedUsers);
  return {
    enabled,
    isAllowed: (sub) => !enabled || !denied.has(sub),
    setAllowed(sub, allowed) {
      if (!enabled) throw new Error('app-level access control needs Logto 1.41 or later');
      if (allowed) denied.delete(sub);
      else denied.add(sub);
    },
  };
}

/**
 * Throws oidc-provider's `access_denied` with Logto's description when the user may not use the app:
 * at the authorization endpoint (an existing grant) this redirects to the app's callback with
 * `error=access_denied&error_description=Access denied.`; at the token endpoint it answers 400.
 */
export function assertAppAccess(accessControl, sub) {
  if (!accessControl.isAllowed(sub)) throw new errors.AccessDenied(ACCESS_DENIED_DESCRIPTION);
}
