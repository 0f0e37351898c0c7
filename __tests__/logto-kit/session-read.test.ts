import type { NextApiRequest, NextApiResponse } from 'next';
import NextAuth, { getServerSession, type NextAuthOptions } from 'next-auth';
import { decode as nextAuthDecode, type JWT } from 'next-auth/jwt';
import { deriveNextAuthSettings } from '../../lib/logto/next-auth/settings';
import { getLogtoSession } from '../../lib/logto/session/get-logto-session';
import { useHostApp } from './helpers/host-app';
import { describeWith } from './helpers/host-strategy';
import { setCookieValue, signIn } from './helpers/sign-in-flow';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  setCookies: string[];
  headers: Record<string, unknown>;
}

/** A Set-Cookie's attributes, lower-cased and sorted, with the date of `Expires` left out. */
function attributesOf(setCookie: string): string[] {
  return setCookie
    .split(';')
    .slice(1)
    .map((attribute) => attribute.trim().toLowerCase())
    .map((attribute) => (attribute.startsWith('expires=') ? 'expires' : attribute))
    .sort();
}

/** A GET /api/auth/session through `handler` with these cookies, as Next's API resolver hands it over. */
type Handler = (req: NextApiRequest, res: NextApiResponse) => unknown;

async function readThrough(
  handler: Handler,
  cookies: Record<string, string>,
  query: Record<string, string | string[]> = {},
): Promise<Answer> {
  const { req, res, answer } = exchange(cookies, query);
  await handler(req, res);
  return answer();
}

function exchange(cookies: Record<string, string>, query: Record<string, string | string[]> = {}) {
  const headers: Record<string, unknown> = {};
  let status = 200;
  let body: unknown;
  const req = { method: 'GET', query: { nextauth: ['session'], ...query }, cookies: { ...cookies }, headers: {}, body: undefined };
  const res = {
    headersSent: false,
    status(code: number) {
      status = code;
      return res;
    },
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = value;
      return res;
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
    send(value: unknown) {
      body = typeof value === 'string' ? JSON.parse(value) : value;
    },
    json(value: unknown) {
      body = value;
    },
    end() {
      // The session route ends its answer through json(); nothing is left to send.
    },
  };
  return {
    req: req as unknown as NextApiRequest,
    res: res as unknown as NextApiResponse,
    answer: (): Answer => ({
      status,
      body: JSON.parse(JSON.stringify(body ?? null)) as Record<string, unknown>,
      setCookies: ([] as string[]).concat((headers['set-cookie'] as string[] | undefined) ?? []),
      headers,
    }),
  };
}

// The kit answers the happy path of a session read itself (lib/logto/next-auth/fast-session-read.ts): same JSON as
// next-auth, the cookie re-issued only when the token changed or the cookie is older than session.updateAge.
describeWith(
  'jwt',
  'the kit’s own session read (next-auth/fast-session-read.ts) serves JWT sessions; next-auth reads database sessions, checked in the block below',
)('GET /api/auth/session and getLogtoSession', () => {
  const host = useHostApp();
  const options = (): NextAuthOptions => host().route.authOptions;
  const cookieName = () => deriveNextAuthSettings(host().url, options()).cookies.sessionToken.name;
  const secret = () => String(options().secret);
  const kitRoute = () => host().route.default as unknown as Handler;

  /** A signed-in browser's cookies (session, CSRF, callback URL) and its session token. */
  async function signedIn(): Promise<{ cookies: Record<string, string>; token: JWT }> {
    const browser = host().browser();
    await signIn(browser, host().issuer);
    // As Next's req.cookies holds them: URL-decoded.
    const cookies = Object.fromEntries(Array.from(browser.cookies).map(([name, value]) => [name, decodeURIComponent(value)]));
    const token = await nextAuthDecode({ token: cookies[cookieName()], secret: secret() });
    return { cookies, token: token! };
  }

  /** The cookies with the session cookie replaced by `token` encoded `ageSeconds` ago. */
  async function withToken(cookies: Record<string, string>, token: JWT, ageSeconds = 0): Promise<Record<string, string>> {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now - ageSeconds * 1000);
    try {
      const value = await options().jwt!.encode!({ token, secret: secret(), maxAge: 30 * 24 * 60 * 60 });
      return { ...cookies, [cookieName()]: value };
    } finally {
      clock.mockRestore();
    }
  }

  it('answers the same JSON and cookies as next-auth’s own session route for a cookie older than updateAge', async () => {
    const { cookies, token } = await signedIn();
    const old = await withToken(cookies, token, 25 * 60 * 60);

    const kit = await readThrough(kitRoute(), old);
    const own = await readThrough((req, res) => NextAuth(req, res, options()), old);

    expect(kit.status).toBe(200);
    expect(own.status).toBe(200);
    const { expires: kitExpires, ...kitRest } = kit.body;
    const { expires: ownExpires, ...ownRest } = own.body;
    expect(kitRest).toEqual(ownRest);
    expect(kitRest).toMatchObject({ user: { id: 'user-1' } });
    expect(Math.abs(Date.parse(String(kitExpires)) - Date.parse(String(ownExpires)))).toBeLessThan(2000);
    expect(kit.setCookies.map((cookie) => cookie.split('=')[0])).toEqual(own.setCookies.map((cookie) => cookie.split('=')[0]));
    // Every attribute as next-auth sets it (HttpOnly, SameSite, Path, Secure…); Expires' date may differ by a second.
    expect(attributesOf(kit.setCookies[0] ?? '')).toEqual(attributesOf(own.setCookies[0] ?? ''));
    expect(attributesOf(kit.setCookies[0] ?? '')).toContain('httponly');
    expect(kit.headers['content-type']).toEqual(own.headers['content-type']);
    // next-auth 4.24 marks the session JSON uncacheable; 4.22 and 4.23 send no such headers, the kit always does.
    expect(kit.headers).toMatchObject({ 'cache-control': 'private, no-cache, no-store', pragma: 'no-cache', expires: '0' });
    for (const header of ['cache-control', 'pragma', 'expires']) {
      if (own.headers[header] !== undefined) expect(kit.headers[header]).toEqual(own.headers[header]);
    }

    const reissued = await nextAuthDecode({ token: setCookieValue(kit.setCookies, cookieName()), secret: secret() });
    expect(reissued).toMatchObject({ sub: 'user-1', refreshToken: token.refreshToken });
    const before = await nextAuthDecode({ token: old[cookieName()], secret: secret() });
    expect(reissued!.iat as number).toBeGreaterThanOrEqual((before!.iat as number) + 25 * 60 * 60);
  });

  it('answers next-auth’s JSON without re-issuing a cookie younger than updateAge, with the cookie’s own expiry', async () => {
    const { cookies, token } = await signedIn();
    const fresh = await withToken(cookies, token, 60);
    const issued = await nextAuthDecode({ token: fresh[cookieName()], secret: secret() });

    const kit = await readThrough(kitRoute(), fresh);
    const own = await readThrough((req, res) => NextAuth(req, res, options()), fresh);

    const { expires, ...rest } = kit.body;
    const { expires: ownExpires, ...ownRest } = own.body;
    expect(rest).toEqual(ownRest);
    expect(expires).toBe(new Date((issued!.exp as number) * 1000).toISOString());
    expect(Date.parse(String(ownExpires))).toBeGreaterThan(Date.parse(String(expires)));
    expect(kit.setCookies).toEqual([]);
    expect(own.setCookies.map((cookie) => cookie.split('=')[0])).toContain(cookieName());
  });

  it('re-issues the cookie when the jwt callback refreshed the access token', async () => {
    const { cookies, token } = await signedIn();
    const expired = await withToken(cookies, { ...token, expiresAt: Math.floor(Date.now() / 1000) - 10 }, 60);

    const kit = await readThrough(kitRoute(), expired);

    expect(kit.body).toMatchObject({ user: { id: 'user-1' } });
    expect(kit.body.error).toBeUndefined();
    const reissued = await nextAuthDecode({ token: setCookieValue(kit.setCookies, cookieName()), secret: secret() });
    expect(reissued!.accessToken).not.toBe(token.accessToken);
    expect(reissued!.expiresAt!).toBeGreaterThan(Date.now() / 1000);
  });

  it('sets next-auth’s CSRF and callback-URL cookies when the browser lacks them, as next-auth does', async () => {
    const { cookies, token } = await signedIn();
    const fresh = await withToken({ [cookieName()]: cookies[cookieName()] ?? '' }, token, 60);

    const kit = await readThrough(kitRoute(), fresh);
    const own = await readThrough((req, res) => NextAuth(req, res, options()), fresh);

    const names = (answer: Answer) => answer.setCookies.map((cookie) => cookie.split('=')[0]).filter((name) => name !== cookieName());
    expect(names(kit)).toEqual(names(own));
    expect(names(kit)).toHaveLength(2);
    expect(setCookieValue(kit.setCookies, names(kit)[1] ?? '')).toBe(setCookieValue(own.setCookies, names(own)[1] ?? ''));
  });

  it('replaces an altered CSRF cookie even after reading the browser’s valid one, as next-auth does', async () => {
    const { cookies, token } = await signedIn();
    const csrfName = deriveNextAuthSettings(host().url, options()).cookies.csrfToken.name;
    const valid = await withToken(cookies, token, 60);
    const [csrfToken, hash = ''] = (valid[csrfName] ?? '').split('|');
    const altered = { ...valid, [csrfName]: `${csrfToken}|${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}` };

    const first = await readThrough(kitRoute(), valid);
    const kit = await readThrough(kitRoute(), altered);
    const own = await readThrough((req, res) => NextAuth(req, res, options()), altered);

    expect(setCookieValue(first.setCookies, csrfName)).toBeUndefined();
    expect(setCookieValue(own.setCookies, csrfName)).toBeDefined();
    const issued = setCookieValue(kit.setCookies, csrfName);
    expect(issued).toBeDefined();
    expect(decodeURIComponent(issued!)).not.toBe(altered[csrfName]);
  });

  it('leaves reads off the happy path to next-auth: no cookie, a broken cookie, query parameters', async () => {
    const { cookies, token } = await signedIn();
    const fresh = await withToken(cookies, token, 60);

    expect((await readThrough(kitRoute(), {})).body).toEqual({});
    const broken = await readThrough(kitRoute(), { ...cookies, [cookieName()]: 'not-a-jwe' });
    expect(broken.body).toEqual({});
    expect(broken.setCookies).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${cookieName().replace(/\./g, '\\.')}=;.*Max-Age=0`))]));
    // With a query next-auth's own route answers, which re-issues the cookie on every read.
    const queried = await readThrough(kitRoute(), fresh, { foo: 'bar' });
    expect(queried.body).toMatchObject({ user: { id: 'user-1' } });
    expect(queried.setCookies.map((cookie) => cookie.split('=')[0])).toContain(cookieName());
  });

  it('getLogtoSession answers getServerSession’s session and writes the cookie only when it is due', async () => {
    const { cookies, token } = await signedIn();
    const fresh = await withToken(cookies, token, 60);
    const old = await withToken(cookies, token, 25 * 60 * 60);

    const kitFresh = exchange(fresh);
    const session = await getLogtoSession(kitFresh, options());
    const ownFresh = exchange(fresh);
    const ownSession = await getServerSession(ownFresh.req, ownFresh.res, options());
    const { expires, ...rest } = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
    const { expires: ownExpires, ...ownRest } = JSON.parse(JSON.stringify(ownSession)) as Record<string, unknown>;
    expect(rest).toEqual(ownRest);
    expect(rest).toMatchObject({ user: { id: 'user-1' } });
    expect(typeof expires).toBe('string');
    expect(typeof ownExpires).toBe('string');
    expect(kitFresh.answer().setCookies).toEqual([]);

    const kitOld = exchange(old);
    await getLogtoSession(kitOld, options());
    expect(kitOld.answer().setCookies.map((cookie) => cookie.split('=')[0])).toEqual([cookieName()]);
  });
});

// Drop-in, database sessions: next-auth reads the Session row through your adapter, and the kit's session callback
// adds Logto's claims; the kit's route must answer exactly as next-auth's own does, and getLogtoSession as getServerSession.
describeWith('database', 'JWT sessions are read by the kit itself, checked in the block above')('GET /api/auth/session and getLogtoSession with database sessions', () => {
  const host = useHostApp();
  const options = (): NextAuthOptions => host().route.authOptions;
  const kitRoute = () => host().route.default as unknown as Handler;

  /** A signed-in browser's cookies (session, CSRF, callback URL), as Next's req.cookies holds them: URL-decoded. */
  async function signedIn(): Promise<Record<string, string>> {
    const browser = host().browser();
    await signIn(browser, host().issuer);
    return Object.fromEntries(Array.from(browser.cookies).map(([name, value]) => [name, decodeURIComponent(value)]));
  }

  /** The Session row's expiry, through your adapter. */
  async function expiresOf(sessionToken: string): Promise<number> {
    const found = await host().adapter!.getSessionAndUser!(sessionToken);
    return found!.session.expires.getTime();
  }

  it('answers the same JSON and cookies as next-auth’s own session route', async () => {
    const cookies = await signedIn();

    const kit = await readThrough(kitRoute(), cookies);
    const own = await readThrough((req, res) => NextAuth(req, res, options()), cookies);

    expect(kit.status).toBe(200);
    const { expires: kitExpires, ...kitRest } = kit.body;
    const { expires: ownExpires, ...ownRest } = own.body;
    expect(kitRest).toEqual(ownRest);
    expect(kitRest).toMatchObject({ user: { id: await host().userId('user-1'), roles: expect.any(Array) as unknown } });
    expect(Math.abs(Date.parse(String(kitExpires)) - Date.parse(String(ownExpires)))).toBeLessThan(2000);
    expect(kit.setCookies.map((cookie) => cookie.split('=')[0])).toEqual(own.setCookies.map((cookie) => cookie.split('=')[0]));
    const sessionCookie = (answer: Answer) => answer.setCookies.find((cookie) => cookie.startsWith(`${host().sessionCookieName}=`)) ?? '';
    expect(attributesOf(sessionCookie(kit))).toEqual(attributesOf(sessionCookie(own)));
    expect(kit.headers['content-type']).toEqual(own.headers['content-type']);
  });

  it('moves the Session row’s expiry on, as next-auth does, once the row is older than updateAge', async () => {
    const cookies = await signedIn();
    const sessionToken = cookies[host().sessionCookieName]!;
    const maxAgeMs = (options().session?.maxAge ?? 30 * 24 * 60 * 60) * 1000;
    const updateAgeMs = (options().session?.updateAge ?? 24 * 60 * 60) * 1000;
    // Written an hour more than updateAge ago.
    const old = new Date(Date.now() + maxAgeMs - updateAgeMs - 60 * 60 * 1000);
    await host().adapter!.updateSession!({ sessionToken, expires: old });

    const kit = await readThrough(kitRoute(), cookies);

    expect(kit.body).toMatchObject({ user: { id: await host().userId('user-1') } });
    expect(await expiresOf(sessionToken)).toBeGreaterThan(Date.now() + maxAgeMs - 60_000);
    expect(setCookieValue(kit.setCookies, host().sessionCookieName)).toBe(sessionToken);
  });

  it('sets next-auth’s CSRF and callback-URL cookies when the browser lacks them, as next-auth does', async () => {
    const cookies = await signedIn();
    const sessionOnly = { [host().sessionCookieName]: cookies[host().sessionCookieName] ?? '' };

    const kit = await readThrough(kitRoute(), sessionOnly);
    const own = await readThrough((req, res) => NextAuth(req, res, options()), sessionOnly);

    const names = (answer: Answer) => answer.setCookies.map((cookie) => cookie.split('=')[0]).filter((name) => name !== host().sessionCookieName);
    expect(names(kit)).toEqual(names(own));
    expect(names(kit)).toHaveLength(2);
  });

  it('getLogtoSession answers getServerSession’s session', async () => {
    const cookies = await signedIn();

    const kitRead = exchange(cookies);
    const session = await getLogtoSession(kitRead, options());
    const ownRead = exchange(cookies);
    const ownSession = await getServerSession(ownRead.req, ownRead.res, options());

    const { expires, ...rest } = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
    const { expires: ownExpires, ...ownRest } = JSON.parse(JSON.stringify(ownSession)) as Record<string, unknown>;
    expect(rest).toEqual(ownRest);
    expect(rest).toMatchObject({ user: { id: await host().userId('user-1') } });
    expect(typeof expires).toBe('string');
    expect(typeof ownExpires).toBe('string');
  });
});
