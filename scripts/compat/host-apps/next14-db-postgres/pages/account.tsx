import type { GetServerSideProps } from 'next';
import { getLogtoSession } from '../lib/logto';
import { authOptions } from './api/auth/[...nextauth]';

interface AccountProps {
  name: string;
}

/** The host's server-rendered page: the session read from PostgreSQL on every request; signed out, to the sign-in page. */
export const getServerSideProps: GetServerSideProps<AccountProps> = async (ctx) => {
  const session = await getLogtoSession(ctx, authOptions);
  if (!session) return { redirect: { destination: '/api/auth/signin?callbackUrl=%2Faccount', permanent: false } };
  return { props: { name: session.user?.name ?? session.user?.email ?? 'you' } };
};

/** Who is signed in. */
export default function Account({ name }: AccountProps) {
  return (
    <main>
      <p>{`Signed in as ${name}`}</p>
    </main>
  );
}
