import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import type { NextApiRequest } from 'next';
import { getToken } from 'next-auth/jwt';
import { setupAuthApp } from '../helpers/setup-auth-app';
import { readSession, setCookiesOf, setCookieValue, signIn, startSignIn } from '../logto-kit/helpers/sign-in-flow';
import { authRequest, type FuzzMaterial, type RawRequest } from './auth-request-arbitrary';

// A fixed seed, so CI runs the same inputs every time; explore more with e.g.
// `FUZZ_SEED=$RANDOM FUZZ_RUNS=20000 npx jest __tests__/fuzz`. A failure prints the seed and the shrunk input.
const SEED = Number(process.env.FUZZ_SEED ?? 20251126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
// Long runs need more than jest's 5 s; ~10 ms a request on a warm app.
jest.setTimeout(Math.max(60_000, RUNS * 100));

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const agent = new Agent({ keepAlive: false });
afterAll(() => agent.destroy());

/** Sends `req` as is (headers, lying content-types, broken bodies) and reads the whole answer. */
function send(base: string, req: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { agent, hostname, port, method: req.method, path: req.path, headers: req.headers, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`No answer within 10 s to ${req.method} ${req.path}`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** A `Cookie` header parsed as Next.js does: the first of repeated names wins, values percent-decoded when they can be. */
function parseCookies(header: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name in cookies) continue;
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/** Whether the cookies of `req` carry a session next-auth accepts: then a session in the answer is no finding. */
async function carriesValidSession(req: RawRequest): Promise<boolean> {
  const cookies = parseCookies(req.headers.cookie ?? '');
  const fake = { headers: { cookie: req.headers.cookie ?? '' }, cookies } as unknown as NextApiRequest;
  try {
    return (await getToken({ req: fake, secret: process.env.NEXTAUTH_SECRET })) !== null;
  } catch {
    return false;
  }
}

describe('/api/auth/* under random and damaged input', () => {
  const harness = setupAuthApp();
  let material: FuzzMaterial;

  beforeAll(async () => {
    const { app, issuer } = harness;
    // A signed-in browser: its session cookie is the one the fuzzer damages, its callback one already redeemed.
    const victim = app.browser();
    const flow = await signIn(victim, issuer);
    const sessionToken = setCookieValue(flow.callbackResponse, 'next-auth.session-token');
    // A sign-in started in another browser: genuine CSRF, state and PKCE cookies (the route sends no nonce), its code never issued.
    const other = app.browser();
    const csrf = await other.get('/api/auth/csrf').expect(200);
    const started = await startSignIn(other);
    const oauthCookies = Object.fromEntries(
      ['next-auth.state', 'next-auth.pkce.code_verifier', 'next-auth.nonce']
        .map((name) => [name, setCookieValue(started, name)])
        .filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    if (!sessionToken || Object.keys(oauthCookies).length !== 2) throw new Error('The sign-in for the fuzz material failed');
    material = {
      sessionToken,
      csrfCookie: decodeURIComponent(setCookieValue(csrf, 'next-auth.csrf-token')!),
      csrfToken: (csrf.body as { csrfToken: string }).csrfToken,
      oauthCookies,
      callback: {
        code: flow.callbackUrl.searchParams.get('code')!,
        state: flow.callbackUrl.searchParams.get('state')!,
        iss: flow.callbackUrl.searchParams.get('iss')!,
      },
      appOrigin: app.url,
      issuerOrigin: new URL(issuer.issuer).origin,
    };
  });

  /** Whether a redirect target stays on the app, or is Logto's authorization or end-session endpoint. */
  function allowedTarget(location: string): boolean {
    const target = new URL(location, material.appOrigin);
    if (target.origin === material.appOrigin) return true;
    return target.origin === material.issuerOrigin && ['/oidc/auth', '/oidc/session/end'].includes(target.pathname);
  }

  it('never answers 5xx, never sets a session, never redirects off the origin', async () => {
    const { app } = harness;
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(authRequest(material), async (req) => {
        requests += 1;
        const logged = app.logs.length;
        const response = await send(app.url, req);
        const legitSession = await carriesValidSession(req);

        expect(response.status).toBeLessThan(500);
        if (!legitSession) {
          const sessionSet = setCookiesOf(response).filter((line) => /^(__Secure-)?next-auth\.session-token(\.\d+)?=[^;]/.test(line));
          expect(sessionSet).toEqual([]);
          if (req.method === 'GET' && req.path.startsWith('/api/auth/session') && response.status === 200) {
            expect(response.body).not.toContain('"user"');
          }
        }
        if (response.headers.location) expect(allowedTarget(response.headers.location)).toBe(true);
        if (response.body.startsWith('{"url":')) {
          expect(allowedTarget((JSON.parse(response.body) as { url: string }).url)).toBe(true);
        }
        // One line per failure, whatever the input: no line forged with a newline from a parameter.
        expect(app.logs.slice(logged).filter((line) => /[\r\n]/.test(line))).toEqual([]);
        // The kit's last-resort catch: anything logged there is next-auth throwing on input, a finding to fix.
        expect(app.logs.slice(logged).filter((line) => line.includes('LOGTO_ROUTE_ERROR'))).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(requests).toBeGreaterThanOrEqual(RUNS);
  });

  it('still serves and signs a user in normally afterwards', async () => {
    const { app, issuer } = harness;
    const browser = app.browser();
    expect((await browser.get('/api/auth/session').expect(200)).body).toEqual({});
    const { callbackResponse } = await signIn(browser, issuer);
    expect(callbackResponse.status).toBe(302);
    expect(callbackResponse.headers.location).toBe(`${app.url}/`);
    expect((await readSession(browser))?.user.id).toBe('user-1');
  });
});
