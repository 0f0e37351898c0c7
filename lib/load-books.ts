import { LogtoAccessTokenError, type RequestContext } from '@/lib/logto';
import { serveBooks, type Book } from '@/lib/books-api';
import { logto } from '@/pages/api/auth/[...nextauth]';

/** What a page shows of the books API for the signed-in user. */
export type BooksView =
  | { kind: 'books'; books: Book[]; organizationId: string | null }
  | { kind: 'needs_role'; message: string }
  | { kind: 'unavailable'; message: string }
  | { kind: 'sign_in' };

/**
 * Calls the books API for the signed-in user (of `organizationId`, when given) with their Logto access token.
 * The API lives in this app, so its logic is called directly, with the same token checks as over HTTP; for an
 * API elsewhere, `fetch(url, { headers: { Authorization: `Bearer ${token}` } })` instead.
 */
export async function loadBooks(ctx: RequestContext, organizationId?: string): Promise<BooksView> {
  const resource = logto.env.AUTH_LOGTO_API_RESOURCE;
  if (!resource) return { kind: 'unavailable', message: 'No API resource is configured: set AUTH_LOGTO_RESOURCES.' };
  let token: string;
  try {
    token = await logto.getAccessToken(ctx, resource, organizationId);
  } catch (error) {
    if (!(error instanceof LogtoAccessTokenError)) throw error;
    if (error.code === 'not_signed_in' || error.code === 'grant_revoked') return { kind: 'sign_in' };
    logto.logger.warn('LOGTO_ACCESS_TOKEN_ERROR', { code: error.code, message: error.message });
    return { kind: 'unavailable', message: error.message };
  }
  const answer = await serveBooks(`Bearer ${token}`, organizationId);
  if ('books' in answer.body) return { kind: 'books', books: answer.body.books, organizationId: organizationId ?? null };
  if (answer.status === 403) {
    return {
      kind: 'needs_role',
      message: organizationId
        ? 'Your account needs an organization role with the read:books permission in this organization.'
        : 'Your account needs the reader role to see the books. Ask an admin to assign it in Logto Console → User management → Roles.',
    };
  }
  return { kind: 'unavailable', message: answer.body.message };
}
