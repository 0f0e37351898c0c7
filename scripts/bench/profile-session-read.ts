import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { Session } from 'node:inspector';
import { parseArgs } from 'node:util';
import { startTestIssuer, type TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { findFreePort } from '../free-port';
import { packageOf, shortUrl, table } from './cpu-profile';
import { ensureProductionBuild, ROOT } from './next-server';
import { BENCH_PAGES_ENV, sessionCookie, SESSION_READ_ROUTES, type BenchRoute } from './session-throughput';

/** One node of a V8 CPU profile. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** A V8 CPU profile, as the inspector's Profiler.stop returns it. */
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per request of each function and each package while one route was under load. */
interface RouteProfile {
  route: BenchRoute;
  requests: number;
  requestsPerSecond: number;
  /** Microseconds of self time per request, by `function  file:line`. */
  byFunction: Map<string, number>;
  /** Microseconds of self time per request, by package (or `node internals`, `app bundle`). */
  byPackage: Map<string, number>;
  busyUsPerRequest: number;
}

const USAGE = 'Usage: npm run bench:profile -- [--duration <s>] [--connections <n>] [--top <n>]';

/**
 * Serves the production build in this process (Next's programmatic server), loads each session-read
 * route with autocannon from a child process, and profiles this process during each route's load only:
 * where the session read's time goes, per request, next to the route it is compared with.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '6' },
      connections: { type: 'string', default: '10' },
      top: { type: 'string', default: '20' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const issuer = await startTestIssuer();
  try {
    await profileRoutes(issuer, duration, connections, Number(values.top));
  } finally {
    await issuer.close();
  }
}

async function profileRoutes(issuer: TestIssuer, duration: number, connections: number, top: number) {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  Object.assign(process.env, {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    AUTH_LOGTO_ID_TOKEN_ALG: 'ES384',
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    NEXTAUTH_URL: url,
    NEXT_TELEMETRY_DISABLED: '1',
    ...BENCH_PAGES_ENV,
  });
  (process.env as Record<string, string>).NODE_ENV = 'production';
  await ensureProductionBuild({ ...process.env, NEXTAUTH_URL: 'http://127.0.0.1:3000' });

  const next = (await import('next')).default;
  const app = next({ dev: false, dir: ROOT, hostname: '127.0.0.1', port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const inspector = new Session();
  inspector.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => inspector.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  try {
    const cookie = await sessionCookie(url, issuer);
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 250 });
    const profiles: RouteProfile[] = [];
    for (const route of SESSION_READ_ROUTES) {
      const headers: Record<string, string> = route.signedIn ? { cookie } : {};
      await load(`${url}${route.path}`, headers, connections, 2);
      await post('Profiler.start');
      const result = await load(`${url}${route.path}`, headers, connections, duration);
      const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
      profiles.push(summarize(route, profile, result));
    }
    for (const profile of profiles) print(profile, top);
    for (const profile of profiles.filter((entry) => entry.route.baseline)) {
      printDifference(profile, profiles.find((entry) => entry.route.path === profile.route.baseline)!, top);
    }
  } finally {
    inspector.disconnect();
    await new Promise((resolve) => server.close(resolve));
    await app.close();
  }
}

/** Runs autocannon in a child process, so that its work stays out of this process's profile. */
function load(url: string, headers: Record<string, string>, connections: number, duration: number) {
  const script = `require('autocannon')(JSON.parse(process.env.LOAD), (error, result) => {
    if (error) throw error;
    process.stdout.write(JSON.stringify({ total: result.requests.total, seconds: result.duration, bad: result.non2xx + result.errors }));
  });`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, LOAD: JSON.stringify({ url, headers, connections, duration }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ total: number; seconds: number }>((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(output) as { total: number; seconds: number; bad: number };
      if (result.bad > 0) return reject(new Error(`${url}: ${result.bad} failed requests`));
      resolve(result);
    }),
  );
}

function summarize(route: BenchRoute, profile: CpuProfile, load: { total: number; seconds: number }): RouteProfile {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') return;
    const us = (profile.timeDeltas[i] ?? 0) / load.total;
    busy += us;
    const key = `${functionName || '(anonymous)'}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  });
  return { route, requests: load.total, requestsPerSecond: load.total / load.seconds, byFunction, byPackage, busyUsPerRequest: busy };
}

function print({ route, requestsPerSecond, busyUsPerRequest, byPackage, byFunction }: RouteProfile, top: number) {
  console.log(`\n## ${route.path}: ${Math.round(requestsPerSecond)} requests/s, ${Math.round(busyUsPerRequest)} µs of CPU per request`);
  console.log(table(byPackage, 8));
  console.log(table(byFunction, top));
}

function printDifference(route: RouteProfile, baseline: RouteProfile, top: number) {
  const diff = (a: Map<string, number>, b: Map<string, number>) =>
    new Map([...new Set([...a.keys(), ...b.keys()])].map((key) => [key, (a.get(key) ?? 0) - (b.get(key) ?? 0)]));
  const extra = route.busyUsPerRequest - baseline.busyUsPerRequest;
  console.log(`\n## ${route.route.path} minus ${baseline.route.path}: ${Math.round(extra)} µs of CPU per request more`);
  console.log(table(diff(route.byPackage, baseline.byPackage), 8));
  console.log(table(diff(route.byFunction, baseline.byFunction), top));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  console.error(USAGE);
  process.exitCode = 1;
});
