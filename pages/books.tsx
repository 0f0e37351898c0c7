import type { GetServerSideProps } from 'next';
import Link from 'next/link';
import { loadBooks, type BooksView } from '@/lib/load-books';
import { BookList } from '@/lib/ui/book-list';

/** The books API, called on the server with the signed-in user's Logto access token. */
export default function Books({ view }: { view: Exclude<BooksView, { kind: 'sign_in' }> }) {
  return (
    <main>
      <h1>Books</h1>
      <BookList view={view} />
      <Link href="/">Home</Link>
    </main>
  );
}

/** Gets the user's token for AUTH_LOGTO_API_RESOURCE and calls the API; signed out → the sign-in page. */
export const getServerSideProps: GetServerSideProps<{ view: Exclude<BooksView, { kind: 'sign_in' }> }> = async (ctx) => {
  const view = await loadBooks(ctx);
  if (view.kind === 'sign_in') {
    return {
      redirect: { destination: `/auth/sign-in?${new URLSearchParams({ callbackUrl: ctx.resolvedUrl })}`, permanent: false },
    };
  }
  return { props: { view } };
};
