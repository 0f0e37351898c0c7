import type { GetServerSideProps } from 'next';
import { LogtoAccessTokenError } from '../lib/logto';
import { logto } from './api/auth/[...nextauth]';

type BooksProps = { status: 'ready'; resource: string } | { status: 'unavailable'; reason: string };

/**
 * The host's page that calls its API: a Logto access token for the first of AUTH_LOGTO_RESOURCES, or the reason
 * there is none (e.g. `database_error` while the database is down) shown on the page; signed out, to the sign-in page.
 */
export const getServerSideProps: GetServerSideProps<BooksProps> = async (ctx) => {
  const resource = logto.env.AUTH_LOGTO_RESOURCES[0];
  if (!resource) return { props: { status: 'unavailable', reason: 'not_configured' } };
  try {
    await logto.getAccessToken(ctx, resource);
    return { props: { status: 'ready', resource } };
  } catch (error) {
    if (!(error instanceof LogtoAccessTokenError)) throw error;
    if (error.code === 'not_signed_in' || error.code === 'grant_revoked') {
      return { redirect: { destination: '/api/auth/signin?callbackUrl=%2Fbooks', permanent: false } };
    }
    return { props: { status: 'unavailable', reason: error.code } };
  }
};

/** Whether the books API can be called now. */
export default function Books(props: BooksProps) {
  return (
    <main>
      <p>{props.status === 'ready' ? `Books API token ready for ${props.resource}` : `The books API is unavailable (${props.reason}); try again in a moment.`}</p>
    </main>
  );
}
