import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { useRouter } from 'next/router';
import type { Session } from 'next-auth';
import { useSession } from 'next-auth/react';
import { localeFromRequest } from '@/lib/i18n/choose-locale';
import type { Locale } from '@/lib/i18n/locales';
import { messagesFor } from '@/lib/i18n/messages';
import { getServerAuthSession } from '@/lib/server-auth-session';
import { SignInButtons } from '@/lib/ui/sign-in-buttons';
import { SignOutButton } from '@/lib/ui/sign-out-button';
import { UserCard } from '@/lib/ui/user-card';

/** Home: sign-in buttons when signed out, the user card and "Sign out" when signed in, in `locale`. */
export default function Home({ locale }: { locale: Locale }) {
  const { data: session } = useSession();
  const { query } = useRouter();
  const t = messagesFor(locale);
  return (
    <main>
      <h1>{t.app.title}</h1>
      {query.signedOut === 'local' && (
        <p className="notice" role="status">
          {t.home.signedOutLocally}
        </p>
      )}
      {session && !session.error ? (
        <>
          <UserCard user={session.user} locale={locale} />
          <nav>
            <Link href="/protected">{t.home.protectedLink}</Link>
          </nav>
          <SignOutButton locale={locale} />
        </>
      ) : (
        <>
          <p>{t.home.signedOut}</p>
          <SignInButtons callbackUrl="/" locale={locale} />
        </>
      )}
    </main>
  );
}

/** The session and the language, read on the server so the first paint is already signed in or out, in the right words. */
export const getServerSideProps: GetServerSideProps<{ session: Session | null; locale: Locale }> = async (ctx) => ({
  props: { session: await getServerAuthSession(ctx), locale: localeFromRequest(ctx.req) },
});
