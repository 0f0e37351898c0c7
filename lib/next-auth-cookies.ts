import { createHash, timingSafeEqual } from 'node:crypto';

// next-auth v4's default cookie names (core/lib/cookie.ts): prefixed when NEXTAUTH_URL is https.
/** The name of next-auth's session cookie; a large JWT is split into `<name>.0`, `<name>.1`, … */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? '__Secure-' : ''}next-auth.session-token`;
}

/** The name of next-auth's CSRF cookie (`<token>|<sha256(token + secret)>`). */
export function csrfCookieName(secure: boolean): string {
  return `${secure ? '__Host-' : ''}next-auth.csrf-token`;
}

/**
 * Checks a posted `csrfToken` against next-auth's double-submit cookie, exactly as next-auth does
 * for its own POST routes (core/lib/csrf-token.ts).
 */
export function verifyCsrfToken(cookieValue: string | undefined, posted: unknown, secret: string): boolean {
  if (!cookieValue || typeof posted !== 'string') return false;
  const [token, hash] = cookieValue.split('|');
  if (!token || !hash) return false;
  const expected = createHash('sha256').update(`${token}${secret}`).digest('hex');
  return safeEqual(hash, expected) && safeEqual(token, posted);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
