// `npm run bench:callback-floor`: how far this app's sign-in callback is from the least any next-auth v4 callback
// can do. Serves two configurations in-process against one test issuer and times their callbacks in turns (ABBA):
// this app's route, and a floor that only redeems the code with the cached openid-client Client (PKCE cookie
// decoded, state compared, the ES384 id_token verified) and redirects, with no session, no next-auth and no kit.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { NextApiHandler } from 'next';
import { decode } from 'next-auth/jwt';
import supertest from 'supertest';
import { nextAuthSegments, startApiRouteServer } from '../../__tests__/logto-kit/helpers/api-route-server';
import { startTestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { median } from './stats';

const PKCE_COOKIE = 'next-auth.pkce.code_verifier';

async function main() {
  const { values } = parseArgs({ options: { flows: { type: 'string', default: '150' }, latency: { type: 'string', default: '50' } } });
  const flows = Number(values.flows);
  const issuer = await startTestIssuer({ latencyMs: Number(values.latency) });
  const routes: Record<'app' | 'floor', NextApiHandler | undefined> = { app: undefined, floor: undefined };
  const server = await startApiRouteServer((pathname, req) =>
    pathname.startsWith('/api/auth/')
      ? { module: { default: routes[req.headers['x-bench-config'] === 'floor' ? 'floor' : 'app']! }, query: nextAuthSegments(pathname) }
      : undefined,
  );
  Object.assign(process.env, {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    AUTH_LOGTO_ID_TOKEN_ALG: 'ES384',
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    NEXTAUTH_URL: server.url,
  });
  const route = await import('@/pages/api/auth/[...nextauth]');
  const client = await route.logto.getClient();
  routes.app = route.default;
  // The floor starts its sign-ins through the app's route (the same cookies and authorization request).
  routes.floor = async (req, res) => {
    if (([] as string[]).concat(req.query.nextauth ?? [])[0] !== 'callback') return route.default(req, res);
    const pkce = await decode({ token: req.cookies[PKCE_COOKIE], secret: process.env.NEXTAUTH_SECRET!, salt: PKCE_COOKIE });
    const query = req.query as Record<string, string>;
    const tokens = await client.callback(`${server.url}/api/auth/callback/logto`, query, { state: query.state, code_verifier: String(pkce?.value) });
    tokens.claims();
    res.redirect(302, '/');
  };

  const times = { app: [] as number[], floor: [] as number[] };
  try {
    for (let flow = -10; flow < flows; flow += 1) {
      for (const config of flow % 2 === 0 ? (['app', 'floor'] as const) : (['floor', 'app'] as const)) {
        const browser = supertest.agent(server.url).set('x-bench-config', config);
        const { body } = await browser.get('/api/auth/csrf');
        const started = await browser
          .post('/api/auth/signin/logto')
          .type('form')
          .send({ csrfToken: (body as { csrfToken: string }).csrfToken, callbackUrl: `${server.url}/` });
        const callbackUrl = await issuer.authorize(String(started.headers.location));
        const startedAt = performance.now();
        const callback = await browser.get(`${callbackUrl.pathname}${callbackUrl.search}`);
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
  const app = median(times.app);
  const floor = median(times.floor);
  console.log(`callback median over ${flows} flows each, issuer latency ${values.latency} ms:`);
  console.log(`  this app (next-auth + kit): ${app.toFixed(2)} ms`);
  console.log(`  floor (openid-client callback only): ${floor.toFixed(2)} ms`);
  console.log(`  next-auth and the kit add ${(app - floor).toFixed(2)} ms`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
