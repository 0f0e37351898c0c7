import NextAuth from 'next-auth';
import type { NextApiRequest, NextApiResponse } from 'next';
import { startApiRouteServer, type ApiRouteServer } from '../logto-kit/helpers/api-route-server';
import { createBrowser, type Browser } from '../logto-kit/helpers/browser';
import { setCookiesOf, signIn } from '../logto-kit/helpers/sign-in-flow';
import { useHostApp } from '../logto-kit/helpers/host-app';
import { useSqliteDatabase } from './helpers/sqlite-database';

const ROUTE = '__tests__/fixtures/database-host-route.ts';
const COOKIE = 'next-auth.session-token';
const DAY_MS = 24 * 60 * 60 * 1000;

// next-auth's handler, counted: the kit's read must answer without it.
jest.mock('next-auth', () => {
  const actual = jest.requireActual<typeof import('next-auth')>('next-auth');
  return { __esModule: true, ...actual, default: jest.fn(actual.default) };
});
const nextAuthCalls = () => (NextAuth as unknown as jest.Mock).mock.calls.length;

/** A Set-Cookie line's name and attributes, lower-cased and sorted, the date of `Expires` left out. */
function shapeOf(setCookie: string): string[] {
  const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
  return [
    pair.slice(0, pair.indexOf('=')),
    ...attributes.map((attribute) => attribute.toLowerCase()).map((attribute) => (attribute.startsWith('expires=') ? 'expires' : attribute)).sort(),
  ];
}

/** The `Expires` of the session cookie in these Set-Cookie lines, in epoch milliseconds. */
function sessionCookieExpiry(setCookies: string[]): number {
  const line = setCookies.find((entry) => entry.startsWith(`${COOKIE}=`));
  const expires = line?.split(';').map((part) => part.trim()).find((part) => /^expires=/i.test(part));
  if (!expires) throw new Error(`no session cookie with Expires in ${JSON.stringify(setCookies)}`);
  return Date.parse(expires.slice('expires='.length));
}

// GET /api/auth/session with database sessions is served by the kit without next-auth's per-request setup, as
// next-auth's own session route would answer it (next-auth v4 core/routes/session.ts), on a real SQLite file.
describe('GET /api/auth/session with database sessions (the kit’s session read)', () => {
  const database = useSqliteDatabase();
  const host = useHostApp({ route: ROUTE, env: { DATABASE_URL: database.url } });
  let plain: ApiRouteServer;
  let browser: Browser;
  // Prisma keeps DateTime as ISO text in SQLite.
  const sessionRow = () => {
    const row = database.rows<{ sessionToken: string; expires: string }>('SELECT sessionToken, expires FROM "Session"')[0];
    return row && { sessionToken: row.sessionToken, expires: Date.parse(row.expires) };
  };
  const setExpiry = (sessionToken: string, ms: number) =>
    database.run('UPDATE "Session" SET expires = ? WHERE sessionToken = ?', new Date(ms).toISOString(), sessionToken);

  beforeAll(async () => {
    // next-auth's own handler with the same composed options: what the kit's read must answer like.
    plain = await startApiRouteServer((pathname) =>
      pathname.startsWith('/api/auth/')
        ? {
            module: { default: (req: NextApiRequest, res: NextApiResponse) => NextAuth(req, res, host().route.authOptions) },
            query: { nextauth: pathname.slice('/api/auth/'.length).split('/') },
          }
        : undefined,
    );
  });
  afterAll(() => plain.close());

  beforeEach(async () => {
    database.run('DELETE FROM "User"');
    browser = host().browser();
    await signIn(browser, host().issuer);
  });

  /** The same browser's cookies, sent to next-auth's own handler. */
  const atPlain = () => {
    const copy = createBrowser(plain.url);
    for (const [name, value] of browser.cookies) copy.cookies.set(name, value);
    return copy;
  };

  it('answers the JSON and the cookies next-auth’s session route answers, without calling next-auth', async () => {
    const before = nextAuthCalls();
    const kit = await browser.get('/api/auth/session').expect(200);
    expect(nextAuthCalls()).toBe(before);
    const own = await atPlain().get('/api/auth/session').expect(200);

    expect(kit.body).toEqual(own.body);
    expect(kit.body).toMatchObject({ user: { id: expect.any(String), name: 'Alice Example', email: 'alice@example.com' } });
    expect(setCookiesOf(kit).map(shapeOf)).toEqual(setCookiesOf(own).map(shapeOf));
    expect(kit.headers['cache-control']).toBe(own.headers['cache-control']);
    // next-auth re-sends the session cookie on every database read, its expiry moved to now + maxAge (30 days).
    expect(sessionCookieExpiry(setCookiesOf(kit))).toBeGreaterThan(Date.now() + 30 * DAY_MS - 60_000);
  });

  it('moves the Session row’s expiry on once updateAge (24 h) has passed, and not before', async () => {
    const { sessionToken } = sessionRow()!;
    const soon = Date.now() + 29 * DAY_MS;
    setExpiry(sessionToken, soon + 2 * DAY_MS);

    await browser.get('/api/auth/session').expect(200);
    expect(sessionRow()!.expires).toBe(soon + 2 * DAY_MS);

    setExpiry(sessionToken, soon);
    await browser.get('/api/auth/session').expect(200);
    expect(sessionRow()!.expires).toBeGreaterThan(Date.now() + 30 * DAY_MS - 60_000);
  });

  it('leaves an expired Session row to next-auth, which deletes it and answers {}', async () => {
    const { sessionToken } = sessionRow()!;
    setExpiry(sessionToken, Date.now() - 1000);

    const answer = await browser.get('/api/auth/session').expect(200);

    expect(answer.body).toEqual({});
    expect(database.rows('SELECT * FROM "Session" WHERE sessionToken = ?', sessionToken)).toEqual([]);
  });

  it('answers {} with the database cause logged when the Session table cannot be read, and the session back once it can', async () => {
    database.run('ALTER TABLE "Session" RENAME TO "SessionAway"');
    try {
      const answer = await browser.get('/api/auth/session');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({});
      expect(host().logs.join('\n')).toMatch(/database/);
    } finally {
      database.run('ALTER TABLE "SessionAway" RENAME TO "Session"');
    }

    const again = await browser.get('/api/auth/session').expect(200);
    expect(again.body).toMatchObject({ user: { name: 'Alice Example' } });
  });
});
