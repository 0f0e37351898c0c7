import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { useRouter } from 'next/router';
import type { Session } from 'next-auth';
import { useSession } from 'next-auth/react';
import { localeFromRequest } from '@/lib/i18n/choose-locale';
import type { Locale } from '@/lib/i18n/locales';
import { messagesFor } from '@/lib/i18n/messages';
import { loadBooks, type BooksView } from '@/lib/load-books';
import { getServerAuthSession } from '@/lib/server-auth-session';
import { BookList } from '@/lib/ui/book-list';
import { OrganizationSwitcher } from '@/lib/ui/organization-switcher';
import { SignInButtons } from '@/lib/ui/sign-in-buttons';
import { SignOutButton } from '@/lib/ui/sign-out-button';
import { UserCard } from '@/lib/ui/user-card';

/** The chosen organization's shelf, from the books API called with that organization's token. */
type OrganizationBooks = { organizationId: string; view: Exclude<BooksView, { kind: 'sign_in' }> } | null;

/**
 * Home: sign-in buttons when signed out; when signed in, the user card, the organization switcher (when the
 * user has organizations) with the chosen organization's books, and "Sign out"; in `locale`.
 */
export default function Home({ locale, organizationBooks }: { locale: Locale; organizationBooks: OrganizationBooks }) {
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
            <Link href="/protected">{t.home.protectedLink}</Link> <Link href="/books">Books</Link>
          </nav>
          {session.user.organizations?.length > 0 && (
            <section>
              <OrganizationSwitcher
                organizations={session.user.organizations}
                current={organizationBooks?.organizationId ?? null}
              />
              {organizationBooks && (
                <>
                  <h2 data-testid="organization-books-title">Books of {organizationBooks.organizationId}</h2>
                  <BookList view={organizationBooks.view} />
                </>
              )}
            </section>
          )}
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

/**
 * The session and the language, read on the server so the first paint is already signed in or out, in the
 * right words; with `?org=<id>` of one of the user's organizations, that organization's books, fetched with
 * its organization-scoped token.
 */
export const getServerSideProps: GetServerSideProps<{
  session: Session | null;
  locale: Locale;
  organizationBooks: OrganizationBooks;
}> = async (ctx) => {
  const session = await getServerAuthSession(ctx);
  const locale = localeFromRequest(ctx.req);
  const org = ctx.query.org;
  const member = session?.user.organizations.some(({ id }) => id === org);
  if (!session || typeof org !== 'string' || !member) return { props: { session, locale, organizationBooks: null } };
  const view = await loadBooks(ctx, org);
  if (view.kind === 'sign_in') return { props: { session: null, locale, organizationBooks: null } };
  return { props: { session, locale, organizationBooks: { organizationId: org, view } } };
};
