import type { GetServerSidePropsContext, NextApiRequest, NextApiResponse } from 'next';
import { getServerSession, type NextAuthOptions, type Session } from 'next-auth';
import { readSessionFast } from '../next-auth/fast-session-read';
import type {} from '../types/next-auth';

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
  // next-auth's session read without its per-request setup; anything off the happy path goes to next-auth.
  const read = await readSessionFast(ctx.req.cookies, authOptions);
  if (read) {
    if (read.setCookies.length > 0) {
      const previous = ctx.res.getHeader('Set-Cookie');
      ctx.res.setHeader('Set-Cookie', ([] as string[]).concat((previous as string | string[] | undefined) ?? [], read.setCookies));
    }
    const session = read.session as unknown as Session;
    return session.error ? null : session;
  }
  const session = await getServerSession(ctx.req, ctx.res, authOptions);
  return session && !session.error ? session : null;
}
