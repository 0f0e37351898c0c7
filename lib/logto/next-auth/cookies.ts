import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createTtlCache } from '../store/ttl-cache';
import type { AuthCookie } from './settings';

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
  if (known?.secret === secret) return known.token;
  const [token, hash] = cookieValue.split('|');
  if (!token || !hash || !safeEqual(hash, createHash('sha256').update(`${token}${secret}`).digest('hex'))) return undefined;
  validCsrfCookies.set(cookieValue, { secret, token }, VALID_CSRF_COOKIE_TTL_MS);
  return token;
}

/** The names of `name` and its chunks (`<name>.0`, `<name>.1`, …) among the request's cookies. */
export function cookieChunkNames(cookies: Partial<Record<string, string>>, name: string): string[] {
  const chunk = new RegExp(`^${escapeRegExp(name)}(\\.\\d+)?$`);
  return Object.keys(cookies).filter((key) => chunk.test(key));
}

/** `Set-Cookie` values that delete `cookie` and every chunk of it (`<name>.0`, `<name>.1`, …) the request carries. */
export function expireCookieChunks(cookies: Partial<Record<string, string>>, cookie: AuthCookie): string[] {
  const { options } = cookie;
  const names = cookieChunkNames(cookies, cookie.name);
  const sameSite = typeof options.sameSite === 'string' ? options.sameSite : options.sameSite ? 'strict' : undefined;
  const attributes = [
    `Path=${options.path ?? '/'}`,
    options.domain ? `Domain=${options.domain}` : undefined,
    options.httpOnly === false ? undefined : 'HttpOnly',
    sameSite ? `SameSite=${sameSite.charAt(0).toUpperCase()}${sameSite.slice(1)}` : undefined,
    'Max-Age=0',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    options.secure ? 'Secure' : undefined,
  ].filter(Boolean);
  return names.map((key) => `${key}=; ${attributes.join('; ')}`);
}

/** A cookie to send: its name, value and next-auth's options, plus a lifetime. */
export interface OutgoingCookie {
  name: string;
  value: string;
  options: AuthCookie['options'] & { maxAge?: number; expires?: Date };
}

// next-auth v4 core/lib/cookie.ts: a cookie of at most 4096 bytes, of which ~163 go to name and attributes.
const SESSION_COOKIE_CHUNK_SIZE = 4096 - 163;

/** How many cookies next-auth splits a session cookie value of `length` characters into (`<name>.0`, `<name>.1`, …). */
export function countSessionCookieChunks(length: number): number {
  return Math.max(1, Math.ceil(length / SESSION_COOKIE_CHUNK_SIZE));
}

/**
 * next-auth's SessionStore.chunk: every session cookie chunk the request sent (`previous`) expired, then `value`
 * in its place, split into `<name>.0`, `<name>.1`… above 4 KB.
 */
export function sessionCookieChunks(previous: string[], cookie: AuthCookie, value: string, expires: Date): OutgoingCookie[] {
  const out: Record<string, OutgoingCookie> = {};
  for (const name of previous) out[name] = { name, value: '', options: { ...cookie.options, maxAge: 0 } };
  const count = Math.ceil(value.length / SESSION_COOKIE_CHUNK_SIZE);
  const options = { ...cookie.options, expires };
  if (count === 1) out[cookie.name] = { name: cookie.name, value, options };
  for (let i = 0; count > 1 && i < count; i++) {
    const name = `${cookie.name}.${i}`;
    out[name] = { name, value: value.substr(i * SESSION_COOKIE_CHUNK_SIZE, SESSION_COOKIE_CHUNK_SIZE), options };
  }
  return Object.values(out);
}

/** The `cookie` package's serialize (0.7, which next-auth uses), for the options next-auth's cookies carry. */
export function serializeCookie({ name, value, options }: OutgoingCookie): string {
  let header = `${name}=${encodeURIComponent(value)}`;
  if (options.maxAge !== undefined) header += `; Max-Age=${Math.floor(options.maxAge)}`;
  if (options.domain) header += `; Domain=${options.domain}`;
  if (options.path) header += `; Path=${options.path}`;
  if (options.expires) header += `; Expires=${options.expires.toUTCString()}`;
  if (options.httpOnly) header += '; HttpOnly';
  if (options.secure) header += '; Secure';
  const sameSite = options.sameSite === true ? 'strict' : typeof options.sameSite === 'string' ? options.sameSite.toLowerCase() : undefined;
  if (sameSite === 'lax') header += '; SameSite=Lax';
  else if (sameSite === 'strict') header += '; SameSite=Strict';
  else if (sameSite === 'none') header += '; SameSite=None';
  return header;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
