import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextAuthOptions } from 'next-auth';
import { encode as encodeJwt, getToken, type JWT } from 'next-auth/jwt';
import { cookieChunkNames, serializeCookie, sessionCookieChunks } from './cookies';
import { deriveNextAuthSettings } from './settings';
import type {} from '../types/next-auth';

/** A request and response of getServerSideProps or an API route (both carry Next's parsed `req.cookies`). */
export interface RequestContext {
  req: IncomingMessage & { cookies: Partial<Record<string, string>> };
  res: ServerResponse;
}

/** The session JWT of this request, decrypted as next-auth does; null when there is none or it does not decrypt. */
export async function readSessionToken(
  req: RequestContext['req'],
  authOptions: NextAuthOptions,
  baseUrl: string,
): Promise<JWT | null> {
  const { secure, cookies } = deriveNextAuthSettings(baseUrl, authOptions);
  try {
    return await getToken({
      req: req,
      secret: authOptions.secret,
      cookieName: cookies.sessionToken.name,
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
  const { maxAgeSeconds: maxAge, cookies } = deriveNextAuthSettings(baseUrl, authOptions);
  const value = await (authOptions.jwt?.encode ?? encodeJwt)({ token, secret, maxAge });
  const cookie = cookies.sessionToken;
  const expires = new Date(Date.now() + maxAge * 1000);

  const outgoing = sessionCookieChunks(cookieChunkNames(ctx.req.cookies, cookie.name), cookie, value, expires);

  const before = ctx.res.getHeader('Set-Cookie');
  ctx.res.setHeader('Set-Cookie', ([] as string[]).concat((before as string | string[] | undefined) ?? [], outgoing.map(serializeCookie)));
  for (const { name, value: chunk } of outgoing) {
    if (chunk === '') delete ctx.req.cookies[name];
    else ctx.req.cookies[name] = chunk;
  }
}
