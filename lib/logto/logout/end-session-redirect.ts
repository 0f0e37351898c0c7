import type { NextApiRequest, NextApiResponse } from 'next';
import type { Client } from 'openid-client';
import { sendRedirect } from '../next-auth/send-redirect';

/**
 * Answers a sign-out with Logto's end_session URL (RP-Initiated Logout 1.0): the session's id_token as
 * `id_token_hint`, the app's home as `post_logout_redirect_uri` (register it in Logto Console), the browser's
 * languages as `ui_locales`; the home itself when the issuer has no end_session endpoint.
 */
export function sendEndSessionRedirect(
  req: NextApiRequest,
  res: NextApiResponse,
  client: Client,
  { home, idToken }: { home: string; idToken: string | null | undefined },
): void {
  if (!client.issuer.metadata.end_session_endpoint) return sendRedirect(req, res, home);
  sendRedirect(
    req,
    res,
    client.endSessionUrl({
      ...(typeof idToken === 'string' && { id_token_hint: idToken }),
      post_logout_redirect_uri: home,
      client_id: client.metadata.client_id,
      ...uiLocalesOf(req),
    }),
  );
}

/**
 * `ui_locales` for Logto's sign-out page (RP-Initiated Logout 1.0 §2), from the browser's Accept-Language:
 * its language tags by preference, without weights; none when the header names none.
 */
export function uiLocalesOf(req: NextApiRequest): { ui_locales?: string } {
  const header = req.headers['accept-language'];
  const tags = (typeof header === 'string' ? header : '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const weight = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)).find(Boolean);
      return { tag: tag.trim(), q: weight ? Number(weight[1]) : 1 };
    })
    .filter(({ tag, q }) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) && q > 0)
    .sort((a, b) => b.q - a.q)
    .slice(0, 5)
    .map(({ tag }) => tag);
  return tags.length > 0 ? { ui_locales: tags.join(' ') } : {};
}
