import type { GetServerSidePropsContext, NextApiRequest, NextApiResponse } from 'next';
import type { Session } from 'next-auth';
import { getLogtoSession } from '@/lib/logto';
import { authOptions } from '@/pages/api/auth/[...nextauth]';

/**
 * The session on the server, for getServerSideProps and API routes; null when signed out or when the
 * session can no longer be refreshed (the user must sign in again).
 */
export function getServerAuthSession(ctx: {
  req: GetServerSidePropsContext['req'] | NextApiRequest;
  res: GetServerSidePropsContext['res'] | NextApiResponse;
}): Promise<Session | null> {
  return getLogtoSession(ctx, authOptions);
}
