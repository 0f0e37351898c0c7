import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { useRouter } from 'next/router';
import type { Session } from 'next-auth';
import { useSession } from 'next-auth/react';
import { getServerAuthSession } from '@/lib/server-auth-session';
import { SignInButtons } from '@/lib/ui/sign-in-buttons';
import { SignOutButton } from '@/lib/ui/sign-out-button';
import { UserCard } from '@/lib/ui/user-card';

/** Home: sign-in buttons when signed out, the user card and "Sign out" when signed in. */
export default function Home() {
  const { data: session } = useSession();
  const { query } = useRouter();
  return (
    <main>
      <h1>Logto sign-in on next-auth v4</h1>
      {query.signedOut === 'local' && (
        <p className="notice" role="status">
          You are signed out of this app, but Logto could not be reached to end your Logto session.
        </p>
      )}
      {session && !session.error ? (
        <>
          <UserCard user={session.user} />
          <nav>
            <Link href="/protected">Protected page</Link>
          </nav>
          <SignOutButton />
        </>
      ) : (
        <>
          <p>You are signed out.</p>
          <SignInButtons callbackUrl="/" />
        </>
      )}
    </main>
  );
}

/** The session, read on the server so the first paint is already signed in or out. */
export const getServerSideProps: GetServerSideProps<{ session: Session | null }> = async (ctx) => ({
  props: { session: await getServerAuthSession(ctx) },
});
