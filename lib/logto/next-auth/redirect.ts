import type { NextApiRequest } from 'next';
import type { CallbacksOptions } from 'next-auth';
import type { AuthLogger } from '../log/logger';
import { createTtlCache } from '../store/ttl-cache';
import type { NextAuthSettings } from './settings';

/**
 * Longest `callbackUrl` the kit follows, in characters: next-auth keeps it in a cookie, and browsers
 * drop cookies over 4096 bytes (RFC 6265 §6.1), so a longer one could never round-trip anyway.
 */
export const MAX_CALLBACK_URL_LENGTH = 2048;

type RedirectCallback = CallbacksOptions['redirect'];

/**
 * The absolute URL a requested redirect target resolves to when it stays on `baseUrl`'s origin, else
 * undefined: other origins, other schemes, userinfo, malformed URLs, non-strings and over-long values.
 */
export function resolveSameOriginUrl(url: unknown, baseUrl: string): string | undefined {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_CALLBACK_URL_LENGTH) return undefined;
  // Every session read checks the browser's callback-URL cookie, the same string each time: parse it once.
  const key = `${baseUrl}\n${url}`;
  const known = resolved.get(key);
  if (known) return known.safe;
  const safe = resolveUncached(url, baseUrl);
  resolved.set(key, { safe }, RESOLVED_URL_TTL_MS);
  return safe;
}

// Answers of resolveSameOriginUrl, a pure function.
const resolved = createTtlCache<{ safe: string | undefined }>({ maxEntries: 1000 });
const RESOLVED_URL_TTL_MS = 60 * 60 * 1000;

function resolveUncached(url: string, baseUrl: string): string | undefined {
  const base = new URL(baseUrl);
  let target: URL;
  try {
    // The WHATWG URL parser is the one browsers follow a Location with: it strips tabs and newlines, reads
    // `\` as `/` and `//host` as another host, so the origin compared here is the one the browser would visit.
    target = new URL(url, base.origin);
  } catch {
    return undefined;
  }
  // The protocol too: a `blob:` URL's origin is that of the URL inside it.
  if (target.protocol !== base.protocol || target.origin !== base.origin) return undefined;
  if (target.username !== '' || target.password !== '') return undefined;
  // The serialized form: percent-encoded, no control characters, safe to put in a Location header.
  return target.href;
}

/**
 * next-auth's `redirect` callback, written out: a same-origin target as an absolute URL, anything else
 * the app's home (`baseUrl`). Never throws, unlike next-auth v4's default on a malformed URL.
 * @see https://next-auth.js.org/configuration/callbacks#redirect-callback
 */
export function sameOriginRedirect({ url, baseUrl }: { url: unknown; baseUrl: string }): string {
  return resolveSameOriginUrl(url, baseUrl) ?? baseUrl;
}

/**
 * The kit's `redirect` callback in front of the team's own: theirs receives only a sanitized same-origin
 * URL, and what it returns is checked again, so it may narrow the target but never leave the origin.
 */
export function composeRedirect(own: RedirectCallback | undefined): RedirectCallback {
  if (!own) return sameOriginRedirect;
  return async ({ url, baseUrl }) => sameOriginRedirect({ url: await own({ url: sameOriginRedirect({ url, baseUrl }), baseUrl }), baseUrl });
}

/** What {@link sanitizeCallbackUrls} needs: next-auth's settings and where to log. */
export interface SanitizeContext {
  /** NEXTAUTH_URL's origin is the only one a callbackUrl may lead to; a refused one leads home instead. */
  settings: NextAuthSettings;
  logger: AuthLogger;
}

/**
 * Replaces the request's `callbackUrl` (query, body) with its same-origin absolute form, or the home page,
 * and drops a `next-auth.callback-url` cookie that is not a same-origin absolute URL, before next-auth reads them: next-auth
 * v4 answers 500 to a malformed one (core/lib/assert.ts) and throws on a non-string (core/lib/default-callbacks.ts).
 */
export function sanitizeCallbackUrls(req: NextApiRequest, context: SanitizeContext): void {
  const { logger } = context;
  const { origin, home } = context.settings.urls;
  const refuse = (source: string, value: unknown) => {
    if (value === '' || value === undefined) return;
    const shown = typeof value === 'string' ? value.slice(0, 120) : `(${Array.isArray(value) ? 'array' : typeof value})`;
    logger.warn('LOGTO_REDIRECT_REFUSED', {
      source,
      callbackUrl: shown,
      fix: `only URLs on ${origin} are followed; make NEXTAUTH_URL match the address in the browser`,
    });
  };

  if (req.query && 'callbackUrl' in req.query) {
    const value = req.query.callbackUrl;
    const safe = resolveSameOriginUrl(value, origin);
    if (!safe) refuse('query', value);
    req.query = { ...req.query, callbackUrl: safe ?? home };
  }
  if (typeof req.body === 'object' && req.body !== null && 'callbackUrl' in req.body) {
    const body = req.body as Record<string, unknown>;
    const safe = resolveSameOriginUrl(body.callbackUrl, origin);
    if (!safe) refuse('body', body.callbackUrl);
    req.body = { ...body, callbackUrl: safe ?? home };
  }
  const cookieName = context.settings.cookies.callbackUrl.name;
  const cookies = req.cookies as Partial<Record<string, string>>;
  const cookie = cookies?.[cookieName];
  // next-auth writes this cookie as an absolute URL; anything else (even a same-origin `#` or `/page`, which
  // core/lib/assert.ts answers with a 500) is dropped: next-auth then sets it again to the home page.
  if (cookie !== undefined && resolveSameOriginUrl(cookie, origin) !== cookie) {
    if (!resolveSameOriginUrl(cookie, origin)) refuse('cookie', cookie);
    const kept = Object.entries(cookies).filter(([name]) => name !== cookieName);
    req.cookies = Object.fromEntries(kept);
  }
}
