// `npm run bench:session-size`: how big the session cookie gets. For 1, 10, 100 and 500 organizations and 1, 3
// and 5 API resources, signs a user in (in a child process per configuration, since the route reads its
// environment once) against the test issuer, with this app's route (tokens in the cookie) and with the same
// provider on `tokenStorage: 'server'`, and reports the session cookie's bytes and chunks as the sign-in sets
// them. Writes the Markdown table with --out.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { NextApiHandler } from 'next';
import supertest from 'supertest';
import { nextAuthSegments, startApiRouteServer } from '../../__tests__/logto-kit/helpers/api-route-server';
import { ORGANIZATIONS_SCOPE, startTestIssuer, type TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';

/** One configuration's measurement. */
interface SizeSample {
  organizations: number;
  resources: number;
  /** Bytes of the session cookie's `name=value` pairs, all chunks, with the tokens in the cookie (the default). */
  bytes: number;
  chunks: number;
  /** The same with `tokenStorage: 'server'`. */
  serverBytes: number;
  serverChunks: number;
}

const ORGANIZATIONS = [1, 10, 100, 500];
const RESOURCES = [1, 3, 5];
const SESSION_COOKIE = /^(next-auth\.session-token(?:\.\d+)?)=([^;]*)/;

async function measure(organizations: number, resources: number): Promise<SizeSample> {
  const issuer = await startTestIssuer();
  const indicators = Array.from({ length: resources }, (_, i) => `https://api${i + 1}.example.com`);
  // Organization ids as Logto makes them (12 lowercase letters and digits), each with two roles.
  const memberships = Object.fromEntries(
    Array.from({ length: organizations }, (_, i) => [`org${String(i).padStart(9, '0')}`, ['member', 'viewer']]),
  );
  issuer.tenant = { resources: indicators, roles: {}, userRoles: {}, memberships: { [issuer.user.sub]: memberships }, organizationRoles: {} };
  const route: { app?: NextApiHandler } = {};
  const server = await startApiRouteServer((pathname) =>
    pathname.startsWith('/api/auth/') ? { module: { default: route.app! }, query: nextAuthSegments(pathname) } : undefined,
  );
  try {
    Object.assign(process.env, {
      AUTH_LOGTO_ISSUER: issuer.issuer,
      AUTH_LOGTO_ID: issuer.clientId,
      AUTH_LOGTO_SECRET: issuer.clientSecret,
      AUTH_LOGTO_ID_TOKEN_ALG: 'ES384',
      AUTH_LOGTO_RESOURCES: indicators.join(','),
      AUTH_LOGTO_SCOPES: `${ORGANIZATIONS_SCOPE} urn:logto:scope:organization_roles roles`,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
      NEXTAUTH_URL: server.url,
    });
    delete process.env.REDIS_URL;
    route.app = (await import('@/pages/api/auth/[...nextauth]')).default;
    const inCookie = await signInSize(server.url, issuer);
    route.app = (await import('../../__tests__/fixtures/server-side-tokens-route')).default;
    const onServer = await signInSize(server.url, issuer);
    return { organizations, resources, ...inCookie, serverBytes: onServer.bytes, serverChunks: onServer.chunks };
  } finally {
    await server.close();
    await issuer.close();
  }
}

/** One sign-in through the route being served: the session cookie it sets. */
async function signInSize(appUrl: string, issuer: TestIssuer): Promise<{ bytes: number; chunks: number }> {
  const browser = supertest.agent(appUrl);
  const { body } = await browser.get('/api/auth/csrf');
  const started = await browser.post('/api/auth/signin/logto').type('form').send({ csrfToken: (body as { csrfToken: string }).csrfToken });
  const callbackUrl = await issuer.authorize(String(started.headers.location));
  const callback = await browser.get(`${callbackUrl.pathname}${callbackUrl.search}`);
  const signedIn = sessionCookieSize(callback.headers['set-cookie']);
  if (signedIn.chunks === 0) throw new Error(`the sign-in set no session cookie (${callback.status} ${callback.headers.location})`);
  return signedIn;
}

function sessionCookieSize(header: string | string[] | undefined): { bytes: number; chunks: number } {
  let bytes = 0;
  let chunks = 0;
  for (const line of ([] as string[]).concat(header ?? [])) {
    const match = SESSION_COOKIE.exec(line);
    if (!match || match[2] === '') continue;
    bytes += match[1].length + 1 + match[2].length;
    chunks += 1;
  }
  return { bytes, chunks };
}

function formatTable(samples: SizeSample[]): string {
  const rows = samples.map(
    (s) =>
      `| ${s.organizations} | ${s.resources} | ${s.bytes.toLocaleString('en-US')} | ${s.chunks}${s.chunks > 3 ? ' ⚠' : ''} | ${s.serverBytes.toLocaleString('en-US')} | ${s.serverChunks} |`,
  );
  return [
    '| organizations | API resources | tokens in the cookie: bytes | chunks | `tokenStorage: \'server\'`: bytes | chunks |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { one: { type: 'string' }, out: { type: 'string' } } });
  if (values.one) {
    const [organizations, resources] = values.one.split(',').map(Number);
    process.stdout.write(JSON.stringify(await measure(organizations, resources)));
    return;
  }
  const samples: SizeSample[] = [];
  for (const organizations of ORGANIZATIONS) {
    for (const resources of RESOURCES) {
      // Node's default limit on response headers (16 KB) is below what 500 organizations put in Set-Cookie.
      const args = ['--max-http-header-size=1048576', ...process.execArgv, __filename, '--one', `${organizations},${resources}`];
      const output = execFileSync(process.execPath, args, {
        env: process.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const sample = JSON.parse(output.trim().split('\n').pop()!) as SizeSample;
      console.info(
        `${organizations} organizations, ${resources} resources: ${sample.bytes} bytes in ${sample.chunks} chunk(s); on the server: ${sample.serverBytes} bytes`,
      );
      samples.push(sample);
    }
  }
  const table = formatTable(samples);
  console.info(`\n${table}`);
  if (values.out) writeFileSync(values.out, `${table}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
