// `npm run bench:profile-callback`: where the local work of a sign-in callback goes. Serves this app's route
// in-process (as `npm run bench` does) against the in-process test issuer with no added latency, runs sign-ins,
// and profiles only the callback requests: self time per callback, by package and by function.
import { randomBytes } from 'node:crypto';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { NextApiHandler } from 'next';
import supertest from 'supertest';
import { nextAuthSegments, startApiRouteServer } from '../../__tests__/logto-kit/helpers/api-route-server';
import { startTestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { packageOf, shortUrl, table } from './cpu-profile';
import { reachCallback } from './sign-in-flow-sample';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

async function main() {
  const { values } = parseArgs({ options: { flows: { type: 'string', default: '300' }, top: { type: 'string', default: '25' } } });
  const flows = Number(values.flows);
  const issuer = await startTestIssuer({ latencyMs: 0 });
  // Imported once the environment is set: the route parses it when first loaded.
  const route: { app?: NextApiHandler } = {};
  const server = await startApiRouteServer((pathname) =>
    pathname.startsWith('/api/auth/') ? { module: { default: route.app! }, query: nextAuthSegments(pathname) } : undefined,
  );
  Object.assign(process.env, {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    AUTH_LOGTO_ID_TOKEN_ALG: 'ES384',
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    NEXTAUTH_URL: server.url,
  });
  route.app = (await import('@/pages/api/auth/[...nextauth]')).default;
  const inspector = new Session();
  inspector.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => inspector.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let wallMs = 0;
  try {
    for (let flow = -20; flow < flows; flow += 1) {
      const browser = supertest.agent(server.url);
      const callbackUrl = await reachCallback(browser, server.url, issuer);
      if (flow >= 0) await post('Profiler.start');
      const startedAt = performance.now();
      const callback = await browser.get(`${callbackUrl.pathname}${callbackUrl.search}`);
      if (flow >= 0) {
        wallMs += performance.now() - startedAt;
        const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
        add(profile, byFunction, byPackage, flows);
      }
      if (callback.status !== 302) throw new Error(`callback answered ${callback.status}`);
    }
  } finally {
    inspector.disconnect();
    await server.close();
    await issuer.close();
  }
  const busy = [...byPackage.values()].reduce((a, b) => a + b, 0);
  console.log(`callback: ${(wallMs / flows).toFixed(2)} ms wall, ${(busy / 1000).toFixed(2)} ms CPU (app + in-process issuer + client), per callback`);
  console.log(table(byPackage, 15));
  console.log(table(byFunction, Number(values.top)));
}

function add(profile: CpuProfile, byFunction: Map<string, number>, byPackage: Map<string, number>, flows: number) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => {
    // The first delta runs from Profiler.start to the first sample: the inspector's own work, not the callback's.
    if (i === 0) return;
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') return;
    const us = (profile.timeDeltas[i] ?? 0) / flows;
    const key = `${functionName || '(anonymous)'}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
