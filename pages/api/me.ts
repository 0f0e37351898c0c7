import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerAuthSession } from '@/lib/server-auth-session';

/** The signed-in user as JSON, or 401 JSON when signed out. */
export default async function me(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerAuthSession({ req, res });
  if (!session) {
    res.status(401).json({ error: 'unauthorized', message: 'Sign in first: /auth/sign-in' });
    return;
  }
  res.status(200).json({ user: session.user });
}
