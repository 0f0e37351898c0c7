import type { NextAuthOptions } from 'next-auth';

/** next-auth v4's default `session.maxAge` (core/init.ts), in seconds: 30 days. */
export const DEFAULT_SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** next-auth v4's default `session.updateAge` (core/init.ts), in seconds: 24 hours. */
export const DEFAULT_SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

/** A cookie next-auth sets: its name and attributes (next-auth's `CookieOption`). */
export interface AuthCookie {
  name: string;
  options: { path?: string; domain?: string; sameSite?: string | boolean; secure?: boolean; httpOnly?: boolean };
}

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

/** What next-auth v4 derives from NEXTAUTH_URL and `authOptions`, derived once by {@link deriveNextAuthSettings}. */
export interface NextAuthSettings {
  urls: AuthUrls;
  /** Whether cookies are `__Secure-`/`__Host-` prefixed and `Secure`: `useSecureCookies`, else an https NEXTAUTH_URL. */
  secure: boolean;
  /** The session, CSRF and callback-URL cookies: `authOptions.cookies` where set, else next-auth's defaults. */
  cookies: { sessionToken: AuthCookie; csrfToken: AuthCookie; callbackUrl: AuthCookie };
  /** `session.maxAge`, in seconds (default 30 days): the session cookie's lifetime. */
  maxAgeSeconds: number;
  /** `session.updateAge`, in seconds (default 24 hours). */
  updateAgeSeconds: number;
}

// Settings per options object and NEXTAUTH_URL: every request of an app passes the same authOptions.
const derived = new WeakMap<NextAuthOptions, Map<string, NextAuthSettings>>();

/**
 * next-auth v4's settings for this app, as its core/init.ts derives them per request: URLs, cookie names and
 * attributes, the secure flag and the session lifetimes. Derived once per `authOptions` and NEXTAUTH_URL.
 * Throws (Invalid URL) for a NEXTAUTH_URL that is no absolute URL.
 */
export function deriveNextAuthSettings(nextAuthUrl: string, authOptions: NextAuthOptions): NextAuthSettings {
  let byUrl = derived.get(authOptions);
  if (!byUrl) derived.set(authOptions, (byUrl = new Map<string, NextAuthSettings>()));
  let settings = byUrl.get(nextAuthUrl);
  if (!settings) {
    settings = computeSettings(nextAuthUrl, authOptions);
    byUrl.set(nextAuthUrl, settings);
  }
  return settings;
}

function computeSettings(nextAuthUrl: string, authOptions: NextAuthOptions): NextAuthSettings {
  const urls = resolveAuthUrls(nextAuthUrl, authOptions.pages);
  // next-auth v4 core/init.ts: `useSecureCookies ?? url.origin.startsWith("https://")`.
  const secure = authOptions.useSecureCookies ?? urls.origin.startsWith('https://');
  const own = authOptions.cookies ?? {};
  const attributes = { httpOnly: true, sameSite: 'lax', path: '/', secure };
  // next-auth v4's default cookie names and attributes (core/lib/cookie.ts `defaultCookies`).
  return {
    urls,
    secure,
    cookies: {
      sessionToken: (own.sessionToken) ?? { name: `${secure ? '__Secure-' : ''}next-auth.session-token`, options: attributes },
      csrfToken: (own.csrfToken) ?? { name: `${secure ? '__Host-' : ''}next-auth.csrf-token`, options: attributes },
      callbackUrl: (own.callbackUrl) ?? { name: `${secure ? '__Secure-' : ''}next-auth.callback-url`, options: attributes },
    },
    maxAgeSeconds: authOptions.session?.maxAge ?? DEFAULT_SESSION_MAX_AGE_SECONDS,
    updateAgeSeconds: authOptions.session?.updateAge ?? DEFAULT_SESSION_UPDATE_AGE_SECONDS,
  };
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
