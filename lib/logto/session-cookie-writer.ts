import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextAuthOptions } from 'next-auth';
import { encode as encodeJwt, getToken, type JWT } from 'next-auth/jwt';
import { sessionCookie, usesSecureCookies, type AuthCookie } from './cookies';

/** A request and response of getServerSideProps or an API route (both carry Next's parsed `req.cookies`). */
export interface RequestContext {
  req: IncomingMessage & { cookies: Partial<Record<string, string>> };
  res: ServerResponse;
}

// next-auth v4 core/lib/cookie.ts: a cookie of at most 4096 bytes, of which ~163 go to name and attributes.
const CHUNK_SIZE = 4096 - 163;
// next-auth's default session.maxAge: 30 days, in seconds.
const DEFAULT_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** The session JWT of this request, decrypted as next-auth does; null when there is none or it does not decrypt. */
export async function readSessionToken(
  req: RequestContext['req'],
  authOptions: NextAuthOptions,
  baseUrl: string,
): Promise<JWT | null> {
  const secure = usesSecureCookies(authOptions, baseUrl);
  try {
    return await getToken({
      req: req as Parameters<typeof getToken>[0]['req'],
      secret: authOptions.secret,
      cookieName: sessionCookie(authOptions, secure).name,
      secureCookie: secure,
      decode: authOptions.jwt?.decode,
    });
  } catch {
    return null;
  }
}

/**
 * Writes `token` into next-auth's session cookie as next-auth's own session route does (its `jwt.encode`,
 * `session.maxAge`, cookie attributes, and chunks `<name>.0`, `<name>.1`… above 4 KB), appended to the
 * response's `Set-Cookie`; and into `req.cookies`, so a later `getServerSession` in the same request reads it
 * rather than writing the old one back over it.
 */
export async function writeSessionToken(
  ctx: RequestContext,
  authOptions: NextAuthOptions,
  baseUrl: string,
  token: JWT,
): Promise<void> {
  const secret = authOptions.secret ?? '';
  const maxAge = authOptions.session?.maxAge ?? DEFAULT_MAX_AGE_SECONDS;
  const value = await (authOptions.jwt?.encode ?? encodeJwt)({ token, secret, maxAge });
  const cookie = sessionCookie(authOptions, usesSecureCookies(authOptions, baseUrl));
  const expires = new Date(Date.now() + maxAge * 1000);

  const count = Math.ceil(value.length / CHUNK_SIZE);
  const chunks = new Map<string, string>(
    count <= 1
      ? [[cookie.name, value]]
      : Array.from({ length: count }, (_, i) => [`${cookie.name}.${i}`, value.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)]),
  );
  const chunkName = new RegExp(`^${cookie.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.\\d+)?$`);
  const stale = Object.keys(ctx.req.cookies).filter((name) => chunkName.test(name) && !chunks.has(name));

  const headers = [
    ...Array.from(chunks).map(([name, chunk]) => serialize(name, chunk, cookie, `Expires=${expires.toUTCString()}`)),
    ...stale.map((name) => serialize(name, '', cookie, 'Max-Age=0')),
  ];
  const previous = ctx.res.getHeader('Set-Cookie');
  ctx.res.setHeader('Set-Cookie', [...([] as string[]).concat((previous as string | string[] | undefined) ?? []), ...headers]);

  for (const name of stale) delete ctx.req.cookies[name];
  for (const [name, chunk] of Array.from(chunks)) ctx.req.cookies[name] = chunk;
}

function serialize(name: string, value: string, { options }: AuthCookie, lifetime: string): string {
  const sameSite = typeof options.sameSite === 'string' ? options.sameSite : options.sameSite ? 'strict' : undefined;
  return [
    `${name}=${value}`,
    `Path=${options.path ?? '/'}`,
    lifetime,
    options.domain ? `Domain=${options.domain}` : undefined,
    options.httpOnly === false ? undefined : 'HttpOnly',
    sameSite ? `SameSite=${sameSite[0].toUpperCase()}${sameSite.slice(1)}` : undefined,
    options.secure ? 'Secure' : undefined,
  ]
    .filter(Boolean)
    .join('; ');
}
