import type { NextApiRequest, NextApiResponse } from 'next';
import { authLogger } from '@/lib/auth-logger';
import { env } from '@/lib/env';
import { signOutEverywhere } from '@/lib/logto/federated-sign-out';
import { logto } from './[...nextauth]';

/** POST: sign out of this app and of Logto (revoke, clear the session, end the Logto session). */
export default function federatedSignOut(req: NextApiRequest, res: NextApiResponse) {
  return signOutEverywhere(req, res, {
    getClient: logto.getClient,
    baseUrl: env.NEXTAUTH_URL,
    secret: env.NEXTAUTH_SECRET,
    logger: authLogger,
  });
}
