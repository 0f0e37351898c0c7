import type { NextApiRequest, NextApiResponse } from 'next';
import { getToken } from 'next-auth/jwt';
import type { Client } from 'openid-client';
import type { AuthLogger } from '../auth-logger';
import { csrfCookieName, sessionCookieName, verifyCsrfToken } from '../next-auth-cookies';

/** What {@link signOutEverywhere} needs from the app. */
export interface FederatedSignOutOptions {
  getClient(): Promise<Client>;
  /** NEXTAUTH_URL: where Logto sends the browser back to; register it as a post sign-out redirect URI. */
  baseUrl: string;
  secret: string;
  logger: AuthLogger;
}

/** Where the browser lands when the app session ended but Logto could not be told. */
export const SIGNED_OUT_LOCALLY_PATH = '/?signedOut=local';

/**
 * POST with next-auth's CSRF token: revokes the refresh token (end_session does not), clears the
 * next-auth session, then sends the browser to Logto's end_session_endpoint to end the Logto session.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
export async function signOutEverywhere(req: NextApiRequest, res: NextApiResponse, options: FederatedSignOutOptions) {
  const { baseUrl, secret, logger } = options;
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    res.status(405).json({ error: 'Sign out with a POST carrying the csrfToken from /api/auth/csrf.' });
    return;
  }
  const secure = baseUrl.startsWith('https://');
  const posted = (req.body as Record<string, unknown> | undefined)?.csrfToken;
  if (!verifyCsrfToken(req.cookies[csrfCookieName(secure)], posted, secret)) {
    res.redirect(303, `${baseUrl}/auth/error?error=SignOutCsrf`);
    return;
  }

  const token = await getToken({ req, secret });
  clearSessionCookies(req, res, secure);
  if (!token) {
    res.redirect(303, baseUrl);
    return;
  }

  let client: Client;
  try {
    client = await options.getClient();
    if (token.refreshToken) await client.revoke(token.refreshToken, 'refresh_token');
  } catch (error) {
    logger.error('LOGTO_SIGN_OUT_ERROR', error);
    res.redirect(303, `${baseUrl}${SIGNED_OUT_LOCALLY_PATH}`);
    return;
  }
  if (!client.issuer.metadata.end_session_endpoint) {
    res.redirect(303, baseUrl);
    return;
  }
  const endSessionUrl = client.endSessionUrl({
    id_token_hint: token.idToken,
    post_logout_redirect_uri: baseUrl,
    client_id: client.metadata.client_id,
  });
  res.redirect(303, endSessionUrl);
}

function clearSessionCookies(req: NextApiRequest, res: NextApiResponse, secure: boolean) {
  const name = sessionCookieName(secure);
  const names = Object.keys(req.cookies).filter((cookie) => cookie === name || cookie.startsWith(`${name}.`));
  const attributes = `Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
  res.setHeader(
    'Set-Cookie',
    names.map((cookie) => `${cookie}=; ${attributes}`),
  );
}
