import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import { createTtlCache } from './ttl-cache';

/** The cookies the kit reads or clears, with next-auth's names and attributes for this app. */
export interface AuthCookie {
  name: string;
  options: { path?: string; domain?: string; sameSite?: string | boolean; secure?: boolean; httpOnly?: boolean };
}

/**
 * Whether next-auth sets `__Secure-`/`__Host-` cookies: `useSecureCookies`, else an https NEXTAUTH_URL
 * (next-auth v4 core/init.ts).
 */
export function usesSecureCookies(options: Pick<NextAuthOptions, 'useSecureCookies'>, baseUrl: string): boolean {
  return options.useSecureCookies ?? baseUrl.startsWith('https://');
}

// next-auth v4's default cookie names and attributes (core/lib/cookie.ts `defaultCookies`).
/** next-auth's session cookie, from `authOptions.cookies.sessionToken` or the default; large JWTs use `<name>.0`, `<name>.1`, … */
export function sessionCookie(options: Pick<NextAuthOptions, 'cookies'>, secure: boolean): AuthCookie {
  return (
    (options.cookies?.sessionToken as AuthCookie | undefined) ?? {
      name: `${secure ? '__Secure-' : ''}next-auth.session-token`,
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure },
    }
  );
}

/** next-auth's CSRF cookie (`<token>|<sha256(token + secret)>`), from `authOptions.cookies.csrfToken` or the default. */
export function csrfCookie(options: Pick<NextAuthOptions, 'cookies'>, secure: boolean): AuthCookie {
  return (
    (options.cookies?.csrfToken as AuthCookie | undefined) ?? {
      name: `${secure ? '__Host-' : ''}next-auth.csrf-token`,
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure },
    }
  );
}

/**
 * Checks a posted `csrfToken` against next-auth's double-submit cookie, exactly as next-auth does
 * for its own POST routes (core/lib/csrf-token.ts).
 */
export function verifyCsrfToken(cookieValue: string | undefined, posted: unknown, secret: string): boolean {
  if (typeof posted !== 'string') return false;
  const token = readCsrfCookie(cookieValue, secret);
  return token !== undefined && safeEqual(token, posted);
}

// CSRF cookies already found valid, with their secret: a browser sends the same one with every request, and
// every session read checks it. A forgotten one is simply hashed again.
const validCsrfCookies = createTtlCache<{ secret: string; token: string }>({ maxEntries: 10_000 });
const VALID_CSRF_COOKIE_TTL_MS = 60 * 60 * 1000;

/** A new CSRF cookie value as next-auth writes it (core/lib/csrf-token.ts): a random token and its keyed hash. */
export function createCsrfCookieValue(secret: string): string {
  const token = randomBytes(32).toString('hex');
  return `${token}|${createHash('sha256').update(`${token}${secret}`).digest('hex')}`;
}

/** The token of next-auth's CSRF cookie `<token>|<sha256(token + secret)>` when its hash is right, else undefined. */
export function readCsrfCookie(cookieValue: string | undefined, secret: string): string | undefined {
  if (!cookieValue) return undefined;
  const known = validCsrfCookies.get(cookieValue);
  if (known && known.secret === secret) return known.token;
  const [token, hash] = cookieValue.split('|');
  if (!token || !hash || !safeEqual(hash, createHash('sha256').update(`${token}${secret}`).digest('hex'))) return undefined;
  validCsrfCookies.set(cookieValue, { secret, token }, VALID_CSRF_COOKIE_TTL_MS);
  return token;
}

/** `Set-Cookie` values that delete `cookie` and every chunk of it (`<name>.0`, `<name>.1`, …) the request carries. */
export function expireCookieChunks(cookies: Partial<Record<string, string>>, cookie: AuthCookie): string[] {
  const { name, options } = cookie;
  const names = Object.keys(cookies).filter((key) => key === name || new RegExp(`^${escapeRegExp(name)}\\.\\d+$`).test(key));
  const sameSite = typeof options.sameSite === 'string' ? options.sameSite : options.sameSite ? 'strict' : undefined;
  const attributes = [
    `Path=${options.path ?? '/'}`,
    options.domain ? `Domain=${options.domain}` : undefined,
    options.httpOnly === false ? undefined : 'HttpOnly',
    sameSite ? `SameSite=${sameSite[0].toUpperCase()}${sameSite.slice(1)}` : undefined,
    'Max-Age=0',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    options.secure ? 'Secure' : undefined,
  ].filter(Boolean);
  return names.map((key) => `${key}=; ${attributes.join('; ')}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
