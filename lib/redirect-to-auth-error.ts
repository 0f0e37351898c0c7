import type { NextApiRequest, NextApiResponse } from 'next';
import { env } from './env';

/**
 * Sends the browser to the app's auth error page the way next-auth would: JSON `{ url }` for
 * `signIn()` from next-auth/react (it posts `json=true`), a 302 otherwise.
 */
export function redirectToAuthError(req: NextApiRequest, res: NextApiResponse, error: string) {
  const url = `${env.NEXTAUTH_URL}/auth/error?${new URLSearchParams({ error })}`;
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
  if (req.method === 'POST' && String(body.json) === 'true') {
    res.status(200).json({ url });
    return;
  }
  res.redirect(302, url);
}
