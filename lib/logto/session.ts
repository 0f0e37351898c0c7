import type { GetServerSidePropsContext, NextApiRequest, NextApiResponse } from 'next';
import { getServerSession, type NextAuthOptions, type Session } from 'next-auth';

/**
 * The session on the server, for getServerSideProps and API routes; null when signed out or when the
 * Logto session can no longer be refreshed (the user must sign in again).
 */
export async function getLogtoSession(
  ctx: {
    req: GetServerSidePropsContext['req'] | NextApiRequest;
    res: GetServerSidePropsContext['res'] | NextApiResponse;
  },
  authOptions: NextAuthOptions,
): Promise<Session | null> {
  const session = await getServerSession(ctx.req, ctx.res, authOptions);
  return session && !session.error ? session : null;
}
