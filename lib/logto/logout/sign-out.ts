import type { NextApiRequest, NextApiResponse } from 'next';
import type { NextAuthOptions } from 'next-auth';
import type { Client } from 'openid-client';
import { isLogtoToken } from '../session/callbacks';
import { expireCookieChunks, verifyCsrfToken } from '../next-auth/cookies';
import { sendRedirect } from '../next-auth/send-redirect';
import type { AuthLogger } from '../log/logger';
import { readSessionToken } from '../next-auth/session-cookie';
import { deriveNextAuthSettings } from '../next-auth/settings';
import { sendEndSessionRedirect } from './end-session-redirect';
import { revokeAppSession } from './revoke-app-session';
import type { SessionRevocations } from './session-revocations';
import type {} from '../types/next-auth';

/** What {@link signOutAtLogto} needs from the kit. */
export interface SignOutContext {
  providerId: string;
  getClient(): Promise<Client>;
  /** The app's home under its basePath: Logto sends the browser back here; register it as a post sign-out redirect URI. */
  home: string;
  logger: AuthLogger;
  /** Where the sign-out is recorded, so copies of the session cookie read as signed out on every instance. */
  revocations: SessionRevocations;
}

/** Query added to the home page URL when the app session ended but Logto could not be told. */
export const SIGNED_OUT_LOCALLY_QUERY = 'signedOut=local';

/**
 * `POST /api/auth/signout` for a Logto session, so next-auth's own `signOut()` signs out at Logto too:
 * checks next-auth's CSRF token, clears every chunk of the session cookie, records the session's end (any
 * copy of the cookie then reads as signed out), revokes the refresh token (end_session does not), and answers
 * with Logto's end_session URL. Returns false when next-auth should handle the request itself (bad CSRF
 * token, no session, or a session of another provider).
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
export async function signOutAtLogto(
  req: NextApiRequest,
  res: NextApiResponse,
  authOptions: NextAuthOptions,
  context: SignOutContext,
): Promise<boolean> {
  const { home, logger } = context;
  const secret = authOptions.secret ?? '';
  const { cookies, maxAgeSeconds } = deriveNextAuthSettings(home, authOptions);
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
  if (!verifyCsrfToken(req.cookies[cookies.csrfToken.name], body.csrfToken, secret)) return false;

  const token = await readSessionToken(req, authOptions, home);
  if (!token || !isLogtoToken(token, context.providerId)) return false;

  res.setHeader('Set-Cookie', expireCookieChunks(req.cookies, cookies.sessionToken));
  // Clearing this browser's cookie leaves other copies of it (another tab's request in flight, a stolen one).
  await revokeAppSession(token, { revocations: context.revocations, ttlSeconds: maxAgeSeconds, logger });
  await authOptions.events?.signOut?.({ token, session: undefined as never });

  let client: Client;
  try {
    client = await context.getClient();
    if (token.refreshToken) await client.revoke(token.refreshToken, 'refresh_token');
  } catch (error) {
    logger.error('LOGTO_SIGN_OUT_ERROR', error);
    sendRedirect(req, res, `${home}/?${SIGNED_OUT_LOCALLY_QUERY}`);
    return true;
  }
  sendEndSessionRedirect(req, res, client, { home, idToken: token.idToken });
  return true;
}
