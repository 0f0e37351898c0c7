import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { useRouter } from 'next/router';
import type { Session } from 'next-auth';
import { useSession } from 'next-auth/react';
import { fillIn } from '@/lib/i18n/fill-in';
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
import { logto } from '@/pages/api/auth/[...nextauth]';

/** The chosen organization's shelf, from the books API called with that organization's token. */
type OrganizationBooks = { organizationId: string; view: Exclude<BooksView, { kind: 'sign_in' }> } | null;

/** Organization id → name, from Logto's userinfo; empty when unknown (the switcher then shows ids). */
type OrganizationNames = Record<string, string>;

type HomeProps = { locale: Locale; organizationBooks: OrganizationBooks; organizationNames: OrganizationNames };

/**
 * Home: sign-in buttons when signed out; when signed in, the user card, the organization switcher (when the
 * user has organizations) with the chosen organization's books, and "Sign out"; in `locale`.
 */
export default function Home({ locale, organizationBooks, organizationNames }: HomeProps) {
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
            <Link href="/protected">{t.home.protectedLink}</Link> <Link href="/books">{t.home.booksLink}</Link>
          </nav>
          {session.user.organizations?.length > 0 && (
            <section>
              <OrganizationSwitcher
                organizations={session.user.organizations}
                names={organizationNames}
                current={organizationBooks?.organizationId ?? null}
                locale={locale}
              />
              {organizationBooks && (
                <>
                  <h2 data-testid="organization-books-title">
                    {fillIn(t.organizations.booksOf, {
                      organization: organizationNames[organizationBooks.organizationId] ?? organizationBooks.organizationId,
                    })}
                  </h2>
                  <BookList view={organizationBooks.view} locale={locale} />
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
 * right words; the names of the user's organizations for the switcher; with `?org=<id>` of one of them, that
 * organization's books, fetched with its organization-scoped token.
 */
export const getServerSideProps: GetServerSideProps<{ session: Session | null } & HomeProps> = async (ctx) => {
  const session = await getServerAuthSession(ctx);
  const locale = localeFromRequest(ctx.req);
  const signedOut = { session: null, locale, organizationBooks: null, organizationNames: {} };
  if (!session) return { props: signedOut };
  const organizationNames = session.user.organizations.length > 0 ? await readOrganizationNames(ctx) : {};
  const org = ctx.query.org;
  const member = session.user.organizations.some(({ id }) => id === org);
  if (typeof org !== 'string' || !member) return { props: { session, locale, organizationBooks: null, organizationNames } };
  const view = await loadBooks(ctx, org);
  if (view.kind === 'sign_in') return { props: signedOut };
  return { props: { session, locale, organizationBooks: { organizationId: org, view }, organizationNames } };
};

/** The names Logto's userinfo gives the user's organizations (cached per session by the kit); {} if it failed. */
async function readOrganizationNames(ctx: Parameters<typeof logto.getOrganizationData>[0]): Promise<OrganizationNames> {
  const organizations = await logto.getOrganizationData(ctx);
  return Object.fromEntries((organizations ?? []).map(({ id, name }) => [id, name]));
}
