import { bearerChallenge, type AccessTokenRequirements } from '@/lib/logto';
import { logto } from '@/pages/api/auth/[...nextauth]';

/** A book of the demo API. */
export interface Book {
  id: string;
  title: string;
  author: string;
}

/** The permission `/api/books` requires (Logto Console → API resources → Permissions; the `reader` role grants it). */
export const READ_BOOKS_SCOPE = 'read:books';

const LIBRARY: Book[] = [
  { id: 'b1', title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin' },
  { id: 'b2', title: 'Kindred', author: 'Octavia E. Butler' },
  { id: 'b3', title: 'Piranesi', author: 'Susanna Clarke' },
];

// Each organization's own shelf; an organization without one has an empty shelf.
const ORGANIZATION_SHELVES: Record<string, Book[]> = {
  'org-acme': [{ id: 'a1', title: 'Designing Data-Intensive Applications', author: 'Martin Kleppmann' }],
  'org-globex': [
    { id: 'g1', title: 'The Mythical Man-Month', author: 'Frederick P. Brooks Jr.' },
    { id: 'g2', title: 'Peopleware', author: 'Tom DeMarco and Timothy Lister' },
  ],
};

/** An HTTP answer of the books API, for the API route and for pages that call the logic directly. */
export interface BooksApiResponse {
  status: number;
  headers: Record<string, string>;
  body: { books: Book[]; organizationId?: string } | { error: string; message: string };
}

/**
 * `GET /api/books[?org=<id>]` as a resource server: the Logto access token for AUTH_LOGTO_API_RESOURCE must
 * carry `read:books`; with `org`, it must have been issued for that organization (`organization_id`).
 * Refusals follow RFC 6750 §3 and never echo the token.
 */
export async function serveBooks(authorization: string | string[] | undefined, org: unknown): Promise<BooksApiResponse> {
  const audience = logto.env.AUTH_LOGTO_API_RESOURCE;
  if (!audience) {
    return {
      status: 404,
      headers: {},
      body: { error: 'not_configured', message: 'Set AUTH_LOGTO_RESOURCES (and AUTH_LOGTO_API_RESOURCE) to serve /api/books' },
    };
  }
  if (org !== undefined && (typeof org !== 'string' || org === '')) {
    return { status: 400, headers: {}, body: { error: 'invalid_request', message: 'org must be one organization id' } };
  }
  const requirements: AccessTokenRequirements = { audience, scopes: [READ_BOOKS_SCOPE], organizationId: org };
  const verdict = await logto.verifyAccessToken(authorization, requirements);
  if (!verdict.ok) {
    return {
      status: verdict.status,
      headers: { 'WWW-Authenticate': bearerChallenge(verdict, requirements) },
      body: { error: verdict.error, message: verdict.description },
    };
  }
  if (org === undefined) return { status: 200, headers: {}, body: { books: LIBRARY } };
  return { status: 200, headers: {}, body: { books: ORGANIZATION_SHELVES[org] ?? [], organizationId: org } };
}
