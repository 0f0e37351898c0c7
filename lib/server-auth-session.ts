import type { GetServerSidePropsContext, NextApiRequest, NextApiResponse } from 'next';
import { getServerSession, type Session } from 'next-auth';
import { authOptions } from '@/pages/api/auth/[...nextauth]';

/**
 * The session on the server, for getServerSideProps and API routes; null when signed out or when the
 * session can no longer be refreshed (the user must sign in again).
 */
export async function getServerAuthSession(ctx: {
  req: GetServerSidePropsContext['req'] | NextApiRequest;
  res: GetServerSidePropsContext['res'] | NextApiResponse;
}): Promise<Session | null> {
  const session = await getServerSession(ctx.req, ctx.res, authOptions);
  return session && !session.error ? session : null;
}
