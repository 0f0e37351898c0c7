import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import type { Session } from 'next-auth';
import { useSession } from 'next-auth/react';
import { localeFromRequest } from '@/lib/i18n/choose-locale';
import type { Locale } from '@/lib/i18n/locales';
import { messagesFor } from '@/lib/i18n/messages';
import { getServerAuthSession } from '@/lib/server-auth-session';
import { AccessTokenExpiry } from '@/lib/ui/access-token-expiry';
import { UserCard } from '@/lib/ui/user-card';

/** Rendered only with a session; the check runs on the server. */
export default function Protected({ session, locale }: { session: Session; locale: Locale }) {
  const t = messagesFor(locale).protected;
  // After a refresh in the browser, useSession carries the new expiry; the server's session is the first one.
  const expiresAt = useSession().data?.accessTokenExpiresAt ?? session.accessTokenExpiresAt;
  return (
    <main>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <dl>
        <dt>{t.userId}</dt>
        <dd>
          <code data-testid="user-id">{session.user.id}</code>
        </dd>
        {expiresAt !== undefined && (
          <>
            <dt>{t.accessTokenValidUntil}</dt>
            <dd>
              <AccessTokenExpiry expiresAt={expiresAt} locale={locale} />
            </dd>
          </>
        )}
      </dl>
      <UserCard user={session.user} locale={locale} />
      <Link href="/">{t.homeLink}</Link>
    </main>
  );
}

/** Redirects to the sign-in page without a session (or with one that can no longer be refreshed). */
export const getServerSideProps: GetServerSideProps<{ session: Session; locale: Locale }> = async (ctx) => {
  const session = await getServerAuthSession(ctx);
  if (!session) {
    return {
      redirect: { destination: `/auth/sign-in?${new URLSearchParams({ callbackUrl: ctx.resolvedUrl })}`, permanent: false },
    };
  }
  return { props: { session, locale: localeFromRequest(ctx.req) } };
};
