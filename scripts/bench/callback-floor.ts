// `npm run bench:callback-floor`: how far this app's sign-in callback is from the least a callback can do, each as a
// share of the Logto guide config's callback (the ratio `npm run bench` holds to ≤ 0.35). Serves four configurations
// in-process against one test issuer and times their callbacks in turns (ABBA):
// - app: this app's route;
// - guide: the plain config from Logto's guide (scripts/bench/guide-config.ts);
// - openid-client: the cached openid-client Client redeeming the code (PKCE cookie decoded, state compared, the
//   ES384 id_token verified) and a redirect, with no session, no next-auth and no kit;
// - bare: the same without openid-client: the cookies decrypted with cached keys, one token POST on a keep-alive
//   agent, the id_token verified with jose, a session cookie encrypted and set. A lower bound for any callback that
//   still checks what it must, not something to ship (no callbacks, no error handling).
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { NextApiHandler } from 'next';
import { decode } from 'next-auth/jwt';
import supertest from 'supertest';
import { createSessionJwt } from '../../lib/logto/next-auth/session-jwt';
import { nextAuthSegments, startApiRouteServer } from '../../__tests__/logto-kit/helpers/api-route-server';
import { startTestIssuer, type TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { guideAuthHandler } from './guide-config';
import { reachCallback } from './sign-in-flow-sample';
import { median } from './stats';

const PKCE_COOKIE = 'next-auth.pkce.code_verifier';
const STATE_COOKIE = 'next-auth.state';
const CONFIGS = ['app', 'guide', 'openid-client', 'bare'] as const;
type Config = (typeof CONFIGS)[number];

async function main() {
  const { values } = parseArgs({ options: { flows: { type: 'string', default: '100' }, latency: { type: 'string', default: '50' } } });
  const flows = Number(values.flows);
  const issuer = await startTestIssuer({ latencyMs: Number(values.latency) });
  const routes: Partial<Record<Config, NextApiHandler>> = {};
  const server = await startApiRouteServer((pathname, req) =>
    pathname.startsWith('/api/auth/')
      ? { module: { default: routes[req.headers['x-bench-config'] as Config]! }, query: nextAuthSegments(pathname) }
      : undefined,
  );
  const secret = randomBytes(32).toString('base64url');
  Object.assign(process.env, {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    AUTH_LOGTO_ID_TOKEN_ALG: 'ES384',
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: server.url,
  });
  const route = await import('@/pages/api/auth/[...nextauth]');
  const client = await route.logto.getClient();
  const callbackUrl = `${server.url}/api/auth/callback/logto`;
  // Each floor starts its sign-ins through the app's route (the same cookies and authorization request).
  const onlyCallback = (callback: NextApiHandler): NextApiHandler => (req, res) =>
    ([] as string[]).concat(req.query.nextauth ?? [])[0] === 'callback' ? callback(req, res) : route.default(req, res);
  routes.app = route.default;
  routes.guide = guideAuthHandler({ issuer: issuer.issuer, clientId: issuer.clientId, clientSecret: issuer.clientSecret, secret });
  routes['openid-client'] = onlyCallback(async (req, res) => {
    const pkce = await decode({ token: req.cookies[PKCE_COOKIE], secret, salt: PKCE_COOKIE });
    const query = req.query as Record<string, string>;
    const tokens = await client.callback(callbackUrl, query, { state: query.state, code_verifier: String(pkce?.value) });
    tokens.claims();
    res.redirect(302, '/');
  });
  routes.bare = onlyCallback(bareCallback(issuer, { secret, callbackUrl }));

  const times = Object.fromEntries(CONFIGS.map((config) => [config, [] as number[]])) as Record<Config, number[]>;
  try {
    for (let flow = -10; flow < flows; flow += 1) {
      for (const config of flow % 2 === 0 ? CONFIGS : [...CONFIGS].reverse()) {
        const browser = supertest.agent(server.url).set('x-bench-config', config);
        const redirect = await reachCallback(browser, server.url, issuer);
        const startedAt = performance.now();
        const callback = await browser.get(`${redirect.pathname}${redirect.search}`);
        if (flow >= 0) times[config].push(performance.now() - startedAt);
        if (callback.status !== 302 || String(callback.headers.location).includes('error')) {
          throw new Error(`${config}: the callback answered ${callback.status} ${String(callback.headers.location)}`);
        }
      }
    }
  } finally {
    await server.close();
    await issuer.close();
  }
  const guide = median(times.guide);
  console.log(`callback median over ${flows} flows each, issuer latency ${values.latency} ms (share of the guide config's):`);
  for (const config of CONFIGS) {
    console.log(`  ${config.padEnd(14)} ${median(times[config]).toFixed(2).padStart(7)} ms  ${(median(times[config]) / guide).toFixed(3)}`);
  }
}

/** The least a code-flow callback can do and still check PKCE, state and the id_token (see the header). */
function bareCallback(issuer: TestIssuer, { secret, callbackUrl }: { secret: string; callbackUrl: string }): NextApiHandler {
  const codec = createSessionJwt();
  const keys = createRemoteJWKSet(new URL(`${issuer.issuer}/jwks`));
  const agent = new Agent({ keepAlive: true });
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(issuer.clientId)}:${encodeURIComponent(issuer.clientSecret)}`).toString('base64')}`;
  const postToken = (body: string) =>
    new Promise<Record<string, string>>((resolve, reject) => {
      const headers = { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) };
      request(`${issuer.issuer}/token`, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, string>));
      })
        .on('error', reject)
        .end(body);
    });
  return async (req, res) => {
    const query = req.query as Record<string, string>;
    const pkce = await codec.decode({ token: req.cookies[PKCE_COOKIE], secret, salt: PKCE_COOKIE });
    const state = await codec.decode({ token: req.cookies[STATE_COOKIE], secret, salt: STATE_COOKIE });
    if (!pkce || state?.value !== query.state || query.iss !== issuer.issuer) throw new Error('bare: the checks failed');
    const code = { grant_type: 'authorization_code', code: query.code, redirect_uri: callbackUrl, code_verifier: String(pkce.value) };
    const tokens = await postToken(new URLSearchParams(code).toString());
    const { payload } = await jwtVerify(tokens.id_token, keys, { issuer: issuer.issuer, audience: issuer.clientId, algorithms: ['ES384'] });
    const token = { name: typeof payload.name === 'string' ? payload.name : undefined, sub: payload.sub, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
    const session = await codec.encode({ token, secret, salt: 'next-auth.session-token' });
    res.setHeader('Set-Cookie', [`next-auth.session-token=${session}; Path=/; HttpOnly; SameSite=Lax`, `${STATE_COOKIE}=; Max-Age=0; Path=/`, `${PKCE_COOKIE}=; Max-Age=0; Path=/`]);
    res.redirect(302, '/');
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
