import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Locale } from '@/lib/i18n/locales';
import type { BooksView } from '@/lib/load-books';
import { BookList } from '@/lib/ui/book-list';

// load-books.ts is imported for its types only; the route module it loads at run time is not needed here.
const render = (view: Exclude<BooksView, { kind: 'sign_in' }>, locale: Locale): string => renderToStaticMarkup(createElement(BookList, { view, locale }));

const KINDRED = { id: 'b2', title: 'Kindred', author: 'Octavia E. Butler' };

describe('BookList', () => {
  it('names the author in each language’s word order', () => {
    const view: BooksView = { kind: 'books', books: [KINDRED], organizationId: null };
    expect(render(view, 'en')).toContain('<cite>Kindred</cite> by Octavia E. Butler');
    expect(render(view, 'es')).toContain('<cite>Kindred</cite> de Octavia E. Butler');
    expect(render(view, 'ko')).toContain('<cite>Kindred</cite> Octavia E. Butler 지음');
  });

  it('says so in the page’s language when the shelf is empty or the role is missing', () => {
    expect(render({ kind: 'books', books: [], organizationId: 'org-acme' }, 'ko')).toBe('<p data-testid="books-empty">이 서가에는 책이 없습니다.</p>');
    expect(render({ kind: 'needs_role', scope: 'global' }, 'es')).toContain('Tu cuenta necesita el rol reader');
    expect(render({ kind: 'needs_role', scope: 'organization' }, 'en')).toContain('an organization role with the read:books permission');
  });

  it('explains an unavailable API from the catalog, by reason', () => {
    expect(render({ kind: 'unavailable', reason: 'issuer_error' }, 'ko')).toContain('data-testid="books-unavailable"');
    expect(render({ kind: 'unavailable', reason: 'issuer_error' }, 'ko')).toContain('Logto에 연결할 수 없습니다');
    expect(render({ kind: 'unavailable', reason: 'not_configured' }, 'en')).toContain('set AUTH_LOGTO_RESOURCES');
  });
});
