import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { localeFromRequest } from '@/lib/i18n/choose-locale';
import type { Locale } from '@/lib/i18n/locales';
import { messagesFor } from '@/lib/i18n/messages';
import { loadBooks, type BooksView } from '@/lib/load-books';
import { BookList } from '@/lib/ui/book-list';

type BooksProps = { view: Exclude<BooksView, { kind: 'sign_in' }>; locale: Locale };

/** The books API, called on the server with the signed-in user's Logto access token; in `locale`. */
export default function Books({ view, locale }: BooksProps) {
  const t = messagesFor(locale).books;
  return (
    <main>
      <h1>{t.title}</h1>
      <BookList view={view} locale={locale} />
      <Link href="/">{t.homeLink}</Link>
    </main>
  );
}

/** Gets the user's token for AUTH_LOGTO_API_RESOURCE and calls the API; signed out → the sign-in page. */
export const getServerSideProps: GetServerSideProps<BooksProps> = async (ctx) => {
  const view = await loadBooks(ctx);
  if (view.kind === 'sign_in') {
    return {
      redirect: { destination: `/auth/sign-in?${new URLSearchParams({ callbackUrl: ctx.resolvedUrl })}`, permanent: false },
    };
  }
  return { props: { view, locale: localeFromRequest(ctx.req) } };
};
