import type { NextAuthOptions } from 'next-auth';

/** The app's URLs as next-auth v4 derives them from NEXTAUTH_URL, so the kit sends Logto the same ones. */
export interface AuthUrls {
  /** `https://app.example.com`: NEXTAUTH_URL's origin. */
  origin: string;
  /** next-auth's API base, `<origin><path>`; the path defaults to `/api/auth` (next-auth's utils/parse-url.ts). */
  apiBase: string;
  /** The app's home under its basePath, e.g. `https://app.example.com/app`; the post sign-out redirect URI. */
  home: string;
  /** `<apiBase>/callback/<providerId>`: the redirect URI of the authorization request and the token exchange. */
  callbackUrl(providerId: string): string;
  /** Where next-auth sends errors: `pages.error` (a path, resolved on the origin as a browser would), else its own page. */
  errorPage: string;
}

/**
 * Derives {@link AuthUrls} from NEXTAUTH_URL and `authOptions.pages` exactly as next-auth v4 does. A NEXTAUTH_URL
 * with a path (`https://host/app/api/auth`, next-auth's way for a basePath) puts the home at `https://host/app`.
 * @see https://next-auth.js.org/configuration/options#nextauth_url
 */
export function resolveAuthUrls(nextAuthUrl: string, pages: NextAuthOptions['pages'] = {}): AuthUrls {
  const url = new URL(nextAuthUrl);
  const path = (url.pathname === '/' ? '/api/auth' : url.pathname).replace(/\/$/, '');
  const apiBase = `${url.origin}${path}`;
  // The home is the basePath: NEXTAUTH_URL's path without next-auth's own `/api/auth`.
  const basePath = path.endsWith('/api/auth') ? path.slice(0, -'/api/auth'.length) : '';
  return {
    origin: url.origin,
    apiBase,
    home: `${url.origin}${basePath}`,
    callbackUrl: (providerId) => `${apiBase}/callback/${providerId}`,
    // next-auth redirects to `pages.error` as written; a browser resolves a path on the app's origin.
    errorPage: pages.error ? new URL(pages.error, url.origin).toString() : `${apiBase}/error`,
  };
}
