import { LogtoAccessTokenError, type LogtoAccessTokenErrorCode, type RequestContext } from '@/lib/logto';
import { serveBooks, type Book } from '@/lib/books-api';
import type { Messages } from '@/lib/i18n/messages';
import { logto } from '@/pages/api/auth/[...nextauth]';

/** Why a page cannot show the books: a key of the catalogs' `books.unavailable`, so every reason has words. */
export type BooksUnavailableReason = keyof Messages['books']['unavailable'];

/**
 * What a page shows of the books API for the signed-in user: data and reasons only, no words; the page
 * renders them in the visitor's language, and the details for whoever runs the app go to the server log.
 */
export type BooksView =
  | { kind: 'books'; books: Book[]; organizationId: string | null }
  | { kind: 'needs_role'; scope: 'global' | 'organization' }
  | { kind: 'unavailable'; reason: BooksUnavailableReason }
  | { kind: 'sign_in' };

// The token errors a page can explain; not_signed_in and grant_revoked send the user to sign in instead.
const UNAVAILABLE_REASONS: Record<Exclude<LogtoAccessTokenErrorCode, 'not_signed_in' | 'grant_revoked'>, BooksUnavailableReason> = {
  unknown_resource: 'unknown_resource',
  missing_scope: 'missing_scope',
  no_refresh_token: 'no_refresh_token',
  access_denied: 'access_denied',
  app_access_denied: 'app_access_denied',
  issuer_error: 'issuer_error',
  database_error: 'database_error',
};

/**
 * Calls the books API for the signed-in user (of `organizationId`, when given) with their Logto access token.
 * The API lives in this app, so its logic is called directly, with the same token checks as over HTTP; for an
 * API elsewhere, `fetch(url, { headers: { Authorization: `Bearer ${token}` } })` instead.
 */
export async function loadBooks(ctx: RequestContext, organizationId?: string): Promise<BooksView> {
  const resource = logto.env.AUTH_LOGTO_API_RESOURCE;
  if (!resource) {
    logto.logger.warn('BOOKS_API_NOT_CONFIGURED', { message: 'No API resource is configured: set AUTH_LOGTO_RESOURCES.' });
    return { kind: 'unavailable', reason: 'not_configured' };
  }
  let token: string;
  try {
    token = await logto.getAccessToken(ctx, resource, organizationId);
  } catch (error) {
    if (!(error instanceof LogtoAccessTokenError)) throw error;
    if (error.code === 'not_signed_in' || error.code === 'grant_revoked') return { kind: 'sign_in' };
    logto.logger.warn('LOGTO_ACCESS_TOKEN_ERROR', { code: error.code, message: error.message });
    return { kind: 'unavailable', reason: UNAVAILABLE_REASONS[error.code] };
  }
  const answer = await serveBooks(`Bearer ${token}`, organizationId);
  if ('books' in answer.body) return { kind: 'books', books: answer.body.books, organizationId: organizationId ?? null };
  if (answer.status === 403) return { kind: 'needs_role', scope: organizationId ? 'organization' : 'global' };
  logto.logger.warn('BOOKS_API_ERROR', { status: answer.status, error: answer.body.error, message: answer.body.message });
  return { kind: 'unavailable', reason: 'api_error' };
}
