// `npm run bench`: what a sign-in costs with this app's cached discovery versus the plain configuration from
// Logto's guide, and what a session read costs next to a route that reads none, against a local ES384 issuer with simulated network latency.
// Options: --latency <ms> (50), --flows <n> (30), --duration <s> (20 rounds of 1 s per route), --connections <n> (10),
// --build (run `next build` once, even over an up-to-date .next), --skip-throughput, --skip-instances, --out <file> (bench-results/latest.json).
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { NextApiHandler } from 'next';
import { startTestIssuer, type TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { nextAuthSegments, startApiRouteServer } from '../../__tests__/logto-kit/helpers/api-route-server';
import { guideAuthHandler } from './guide-config';
import { ensureProductionBuild, ROOT, startNextServer, type NextServer } from './next-server';
import { formatReport, sessionReadChecks, totalRequests, writeReport, type BenchCheck, type BenchReport, type SessionReadRun } from './report';
import { BENCH_PAGES_ENV, measureSessionThroughput } from './session-throughput';
import { formatSeveralInstances, measureSeveralInstances, severalInstancesChecks } from './several-instances';
import { measureSignIns, WARM_UP_FLOWS, type SignInSummary } from './sign-in-latency';
import { databaseSessionChecks, formatDatabaseSessions, measureDatabaseSessions } from './database-sessions';

/** Issue 5's bar: this app's callback takes at most this share of the guide config's time. */
const MAX_CALLBACK_LATENCY_RATIO = 0.35;
// The bench's API server serves both configurations at one NEXTAUTH_URL; this header picks one.
const CONFIG_HEADER = 'x-bench-config';

const USAGE = `Usage: npm run bench -- [--latency <ms>] [--flows <n>] [--duration <s>] [--connections <n>]
                       [--build] [--skip-throughput] [--skip-instances] [--skip-database] [--out <file>]`;

const args = readArgs();

/** The command line, validated before anything starts: a bad option stops here with the usage. */
function readArgs() {
  try {
    const { values } = parseArgs({
      options: {
        latency: { type: 'string', default: '50' },
        flows: { type: 'string', default: '30' },
        duration: { type: 'string', default: '20' },
        connections: { type: 'string', default: '10' },
        build: { type: 'boolean', default: false },
        'skip-throughput': { type: 'boolean', default: false },
        'skip-instances': { type: 'boolean', default: false },
        'skip-database': { type: 'boolean', default: false },
        out: { type: 'string', default: join(ROOT, 'bench-results', 'latest.json') },
        help: { type: 'boolean', default: false },
      },
    });
    return {
      ...values,
      latencyMs: numberArg('latency', values.latency, 0),
      flows: numberArg('flows', values.flows, 1),
      durationSeconds: numberArg('duration', values.duration, 1),
      connections: numberArg('connections', values.connections, 1),
    };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

/** The app's variables, for the in-process routes and for `next build` / `next start`. */
type AppEnv = Record<
  'AUTH_LOGTO_ISSUER' | 'AUTH_LOGTO_ID' | 'AUTH_LOGTO_SECRET' | 'AUTH_LOGTO_ID_TOKEN_ALG' | 'NEXTAUTH_SECRET',
  string
>;

async function main(): Promise<number> {
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { latencyMs, flows } = args;
  const inheritedEnv = { ...process.env };
  const issuer = await startTestIssuer({ latencyMs });
  const appEnv: AppEnv = {
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    AUTH_LOGTO_ID_TOKEN_ALG: 'ES384',
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
  };
  try {
    progress(`Sign-in: ${flows} flows per configuration, issuer latency ${latencyMs} ms`);
    const [app, guide] = await compareSignIns(issuer, appEnv, flows);
    const report: BenchReport = {
      generatedAt: new Date().toISOString(),
      environment: {
        node: process.version,
        platform: process.platform,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      },
      settings: { issuerLatencyMs: latencyMs, flowsPerConfig: flows, warmUpFlowsPerConfig: WARM_UP_FLOWS },
      signIn: {
        app,
        guide,
        callbackLatencyRatio: {
          median: app.callbackLatencyMs.median / guide.callbackLatencyMs.median,
          p95: app.callbackLatencyMs.p95 / guide.callbackLatencyMs.p95,
        },
      },
      checks: [],
    };
    report.checks = signInChecks(app, report.signIn.callbackLatencyRatio.median);
    // Set explicitly: Next.js loads .env files only into variables that are unset, so they change nothing here.
    // Without REDIS_URL: the session reads below are the in-process configuration.
    delete inheritedEnv.REDIS_URL;
    const childEnv = { ...inheritedEnv, ...appEnv, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } as const;
    if (!args['skip-throughput']) {
      const run = await measureSessionReads(report, issuer, childEnv, { store: 'in-process', label: 'refresh single flight in process' });
      report.checks.push(...sessionReadChecks(run));
    }
    // Several instances (scripts/bench/several-instances.ts): Redis against in-process, two `next start` each.
    const severalInstances = args['skip-instances'] ? undefined : await measureInstances(issuer, childEnv);
    if (severalInstances) report.checks.push(...severalInstancesChecks(severalInstances));

    // Database sessions (scripts/bench/database-sessions.ts): the kit against plain next-auth, same adapter and database.
    if (!args['skip-database']) progress(`Database sessions: the kit and plain next-auth, ${args.durationSeconds} s each`);
    const databaseSessions = args['skip-database']
      ? undefined
      : await measureDatabaseSessions(issuer, childEnv, { durationSeconds: args.durationSeconds, connections: args.connections });
    if (databaseSessions) report.checks.push(databaseSessionChecks(databaseSessions));

    const written = { ...report, ...(severalInstances && { severalInstances }), ...(databaseSessions && { databaseSessions }) };
    writeReport(args.out, written);
    console.log(formatReport(report));
    if (severalInstances) console.log(`\n${formatSeveralInstances(severalInstances)}`);
    if (databaseSessions) console.log(`\n${formatDatabaseSessions(databaseSessions)}`);
    progress(`Wrote ${relative(process.cwd(), args.out)}`);
    return report.checks.every((check) => check.pass) ? 0 : 1;
  } finally {
    await issuer.close();
  }
}

/** Serves this app's `[...nextauth]` route and the guide's configuration in-process, and times sign-ins with both. */
async function compareSignIns(issuer: TestIssuer, appEnv: AppEnv, flows: number): Promise<SignInSummary[]> {
  let app: NextApiHandler | undefined;
  let guide: NextApiHandler | undefined;
  const server = await startApiRouteServer((pathname, req) =>
    pathname.startsWith('/api/auth/')
      ? { module: { default: req.headers[CONFIG_HEADER] === 'guide' ? guide! : app! }, query: nextAuthSegments(pathname) }
      : undefined,
  );
  try {
    // The app's route parses its environment when first imported, so the environment is set first.
    Object.assign(process.env, appEnv, { NEXTAUTH_URL: server.url });
    app = (await import('@/pages/api/auth/[...nextauth]')).default;
    const { clientId, clientSecret } = issuer;
    guide = guideAuthHandler({ issuer: issuer.issuer, clientId, clientSecret, secret: appEnv.NEXTAUTH_SECRET });
    const configs = [
      { name: 'this app', headers: { [CONFIG_HEADER]: 'app' } },
      { name: 'Logto guide config', headers: { [CONFIG_HEADER]: 'guide' } },
    ];
    return await measureSignIns(server.url, issuer, configs, flows);
  } finally {
    await server.close();
  }
}

/**
 * Builds the app if needed, runs `next start` with `env` and adds one session-read run to `report`.
 * Another store configuration (e.g. REDIS_URL set) is one more call with its own `env`.
 */
async function measureSessionReads(
  report: BenchReport,
  issuer: TestIssuer,
  env: NodeJS.ProcessEnv,
  { store, label }: { store: string; label: string },
): Promise<SessionReadRun> {
  const { durationSeconds, connections } = args;
  const nextBuild = await buildForRun(env);
  let server: NextServer | undefined;
  try {
    server = await startNextServer({ ...env, ...BENCH_PAGES_ENV });
    progress(`Session reads (${store}): next start at ${server.url}, ${durationSeconds} s per route`);
    const routes = await measureSessionThroughput(server, issuer, { durationSeconds, connections });
    report.settings = { ...report.settings, throughputSecondsPerRoute: durationSeconds, connections, nextBuild };
    const run = { store, label, routes };
    report.sessionReads = [...(report.sessionReads ?? []), run];
    return run;
  } finally {
    await server?.stop();
  }
}

/** Builds the app if needed (or once for --build) and measures the several-instances figures against a real redis-server. */
async function measureInstances(issuer: TestIssuer, env: NodeJS.ProcessEnv) {
  await buildForRun(env);
  progress('Several instances: redis-server and four next start processes (two with REDIS_URL, two without)');
  const { durationSeconds, connections } = args;
  return measureSeveralInstances(issuer, env, { durationSeconds, connections });
}

/** Set once --build has forced a `next build` in this run: later parts reuse that build. */
let forcedBuildDone = false;

/**
 * `next build` for the parts that run `next start`: forced by --build the first time in a run (whichever part
 * comes first, so --skip-throughput --build rebuilds too), otherwise only when .next is not up to date.
 */
async function buildForRun(env: NodeJS.ProcessEnv): Promise<'built' | 'reused'> {
  const force = args.build && !forcedBuildDone;
  progress(force ? 'Building the app (--build)' : 'Building the app unless .next is up to date');
  const nextBuild = await ensureProductionBuild({ ...env, NEXTAUTH_URL: 'http://127.0.0.1:3000' }, force);
  if (force) forcedBuildDone = true;
  progress(nextBuild === 'built' ? 'Built the app with next build' : 'Reused the up-to-date build in .next');
  return nextBuild;
}

function signInChecks(app: SignInSummary, callbackLatencyRatio: number): BenchCheck[] {
  return [
    { name: 'this app makes 0 issuer requests per sign-in start', pass: totalRequests(app.startRequests) === 0 },
    {
      name: 'this app makes 1 issuer request (the token request) per callback',
      pass: totalRequests(app.callbackRequests) === 1 && app.callbackRequests.token === 1,
    },
    {
      name: `callback latency median ratio ${callbackLatencyRatio.toFixed(2)} ≤ ${MAX_CALLBACK_LATENCY_RATIO}`,
      pass: callbackLatencyRatio <= MAX_CALLBACK_LATENCY_RATIO,
    },
  ];
}

function numberArg(name: string, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`);
  return number;
}

function progress(message: string) {
  console.error(`› ${message}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Anything else is a bug or a broken environment: keep the stack for the report.
    console.error(`npm run bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
