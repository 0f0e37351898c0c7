import { fillIn } from '@/lib/i18n/fill-in';
import type { Locale } from '@/lib/i18n/locales';
import { messagesFor } from '@/lib/i18n/messages';
import type { BooksView } from '@/lib/load-books';

/** The books the API returned, or why there are none (missing role, API unavailable), in `locale`. */
export function BookList({ view, locale }: { view: Exclude<BooksView, { kind: 'sign_in' }>; locale: Locale }) {
  const t = messagesFor(locale).books;
  if (view.kind === 'needs_role') {
    return (
      <p className="notice" role="status" data-testid="books-needs-role">
        {view.scope === 'organization' ? t.needsOrganizationRole : t.needsRole}
      </p>
    );
  }
  if (view.kind === 'unavailable') {
    return (
      <p className="notice" role="status" data-testid="books-unavailable">
        {t.unavailable[view.reason]}
      </p>
    );
  }
  if (view.books.length === 0) return <p data-testid="books-empty">{t.empty}</p>;
  return (
    <ul data-testid="books">
      {view.books.map((book) => (
        <li key={book.id}>
          <cite>{book.title}</cite> {fillIn(t.byAuthor, { author: book.author })}
        </li>
      ))}
    </ul>
  );
}
