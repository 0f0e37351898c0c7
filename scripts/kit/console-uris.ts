import { resolveAuthUrls } from '../../lib/logto/next-auth/settings';

/** What to register in the Logto Console for an app, computed as the kit computes the URLs it sends Logto. */
export interface ConsoleUris {
  redirectUri: string;
  postSignOutRedirectUri: string;
  backchannelLogoutUri: string;
  /** A problem with NEXTAUTH_URL worth fixing before registering anything, e.g. a basePath it lacks. */
  warning?: string;
}

/**
 * The Logto Console URIs for NEXTAUTH_URL and next.config's `basePath`: next-auth v4 serves under NEXTAUTH_URL's
 * path (default `/api/auth`), so an app with a basePath needs NEXTAUTH_URL=<origin><basePath>/api/auth.
 * @see https://next-auth.js.org/configuration/options#nextauth_url
 */
export function consoleUris(nextAuthUrl: string, basePath: string): ConsoleUris {
  const url = new URL(nextAuthUrl);
  const fixed = `${url.origin}${basePath}/api/auth`;
  const lacksBasePath = basePath !== '' && !url.pathname.startsWith(`${basePath}/`);
  const warning = lacksBasePath
    ? `next.config sets basePath ${basePath}, but NEXTAUTH_URL (${nextAuthUrl}) does not start with it: set NEXTAUTH_URL=${fixed} (the URIs below assume it)`
    : undefined;
  const urls = resolveAuthUrls(lacksBasePath ? fixed : nextAuthUrl);
  return {
    redirectUri: urls.callbackUrl('logto'),
    postSignOutRedirectUri: urls.home,
    backchannelLogoutUri: `${urls.apiBase}/backchannel-logout`,
    warning,
  };
}
