import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import type { Session } from 'next-auth';
import { getServerAuthSession } from '@/lib/server-auth-session';
import { UserCard } from '@/lib/ui/user-card';

/** Rendered only with a session; the check runs on the server. */
export default function Protected({ session }: { session: Session }) {
  return (
    <main>
      <h1>Protected page</h1>
      <p>Only signed-in users see this page. Your Logto user id is <code data-testid="user-id">{session.user.id}</code>.</p>
      <UserCard user={session.user} />
      <Link href="/">Home</Link>
    </main>
  );
}

/** Redirects to the sign-in page without a session (or with one that can no longer be refreshed). */
export const getServerSideProps: GetServerSideProps<{ session: Session }> = async (ctx) => {
  const session = await getServerAuthSession(ctx);
  if (!session) {
    return {
      redirect: { destination: `/auth/sign-in?${new URLSearchParams({ callbackUrl: ctx.resolvedUrl })}`, permanent: false },
    };
  }
  return { props: { session } };
};
