import type { NextApiRequest, NextApiResponse } from 'next';
import { serveBooks } from '@/lib/books-api';

/** The demo API resource: `GET /api/books` with `Authorization: Bearer <Logto access token>` (see lib/books-api.ts). */
export default async function books(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    res.status(405).json({ error: 'method_not_allowed', message: 'Use GET' });
    return;
  }
  const answer = await serveBooks(req.headers.authorization, req.query.org);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.status(answer.status).json(answer.body);
}
