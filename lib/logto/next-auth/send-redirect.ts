import type { NextApiRequest, NextApiResponse } from 'next';

/**
 * Answers the way next-auth does for a redirect: JSON `{ url }` to `signIn()`/`signOut()` from
 * next-auth/react (they post `json=true`), a 302 to anything else.
 */
export function sendRedirect(req: NextApiRequest, res: NextApiResponse, url: string) {
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
  if (req.method === 'POST' && String(body.json) === 'true') {
    res.status(200).json({ url });
    return;
  }
  res.redirect(302, url);
}

/** Sends the browser to the app's error page (`pages.error`) with `?error=<code>`. */
export function redirectToAuthError(req: NextApiRequest, res: NextApiResponse, errorPageUrl: string, error: string) {
  const separator = errorPageUrl.includes('?') ? '&' : '?';
  sendRedirect(req, res, `${errorPageUrl}${separator}${new URLSearchParams({ error }).toString()}`);
}
