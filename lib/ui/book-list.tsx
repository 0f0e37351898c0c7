import type { BooksView } from '@/lib/load-books';

/** The books the API returned, or why there are none (missing role, API unavailable). */
export function BookList({ view }: { view: Exclude<BooksView, { kind: 'sign_in' }> }) {
  if (view.kind === 'needs_role') {
    return (
      <p className="notice" role="status" data-testid="books-needs-role">
        {view.message}
      </p>
    );
  }
  if (view.kind === 'unavailable') {
    return (
      <p className="notice" role="status" data-testid="books-unavailable">
        {view.message}
      </p>
    );
  }
  if (view.books.length === 0) return <p data-testid="books-empty">No books on this shelf.</p>;
  return (
    <ul data-testid="books">
      {view.books.map((book) => (
        <li key={book.id}>
          <cite>{book.title}</cite> by {book.author}
        </li>
      ))}
    </ul>
  );
}
