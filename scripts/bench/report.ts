import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RouteThroughput } from './session-throughput';
import { COUNTED_ENDPOINTS, type RequestCounts } from './sign-in-flow-sample';
import type { SignInSummary } from './sign-in-latency';

/** Everything one run measured, as written to the JSON file. */
export interface BenchReport {
  generatedAt: string;
  environment: { node: string; platform: string; cpus: number; cpuModel: string };
  settings: {
    issuerLatencyMs: number;
    flowsPerConfig: number;
    warmUpFlowsPerConfig: number;
    throughputSecondsPerRoute?: number;
    connections?: number;
    /** Whether the run built the app or reused a fresh `.next`. */
    nextBuild?: 'built' | 'reused';
  };
  signIn: {
    app: SignInSummary;
    guide: SignInSummary;
    /** This app's callback latency divided by the guide config's. */
    callbackLatencyRatio: { median: number; p95: number };
  };
  /** Session-read throughput on `next start`, one run per store configuration; absent with --skip-throughput. */
  sessionReads?: SessionReadRun[];
  /** What issues 5 and 9 ask of the numbers above. */
  checks: BenchCheck[];
}

/** One pass over the session-read routes against one `next start` configuration. */
export interface SessionReadRun {
  /** Which configuration, e.g. `in-process` (no REDIS_URL). */
  store: string;
  /** The configuration in words, for the table's heading. */
  label: string;
  routes: RouteThroughput[];
}

/** A target the run meets or misses; a miss makes `npm run bench` exit non-zero. */
export interface BenchCheck {
  name: string;
  pass: boolean;
}

/** The targets of a session-read run: every route with a `minRatio` serves at least that share of its baseline. */
export function sessionReadChecks(run: SessionReadRun): BenchCheck[] {
  return run.routes
    .filter((route) => route.minRatio !== undefined)
    .map((route) => ({
      name: `${run.store}: \`${route.path}\` serves ${ratio(route.ratioToBaseline!)} of \`${route.baseline}\`'s requests/s (≥ ${ratio(route.minRatio!)})`,
      pass: route.ratioToBaseline! >= route.minRatio!,
    }));
}

/** Total requests of a step, summed over the endpoints. */
export function totalRequests(counts: RequestCounts): number {
  return COUNTED_ENDPOINTS.reduce((sum, endpoint) => sum + counts[endpoint], 0);
}

/** The run's results as Markdown tables, ready to paste into the README. */
export function formatReport(report: BenchReport): string {
  const { app, guide, callbackLatencyRatio } = report.signIn;
  const { settings, environment } = report;
  const perEndpoint = '(discovery / JWKS / token / userinfo)';
  const lines = [
    `### Sign-in: ${settings.flowsPerConfig} flows per configuration (after ${settings.warmUpFlowsPerConfig} warm-up flows) ` +
      `against a local ES384 issuer adding ${settings.issuerLatencyMs} ms to every response`,
    '',
    row('', 'this app', 'Logto guide config', 'this app / guide'),
    row('---', '---:', '---:', '---:'),
    row(`issuer requests per sign-in start ${perEndpoint}`, counts(app.startRequests), counts(guide.startRequests), ''),
    row(`issuer requests per callback ${perEndpoint}`, counts(app.callbackRequests), counts(guide.callbackRequests), ''),
    row(
      'sign-in start latency, median',
      ms(app.startLatencyMs.median),
      ms(guide.startLatencyMs.median),
      ratio(app.startLatencyMs.median / guide.startLatencyMs.median),
    ),
    row(
      'callback latency, median',
      ms(app.callbackLatencyMs.median),
      ms(guide.callbackLatencyMs.median),
      `**${ratio(callbackLatencyRatio.median)}**`,
    ),
    row('callback latency, p95', ms(app.callbackLatencyMs.p95), ms(guide.callbackLatencyMs.p95), ratio(callbackLatencyRatio.p95)),
  ];
  for (const run of report.sessionReads ?? []) lines.push('', ...formatSessionReads(run, report.settings));
  lines.push(
    '',
    `Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}, ${report.generatedAt}.`,
    '',
    ...report.checks.map((check) => `- ${check.pass ? 'PASS' : 'FAIL'} ${check.name}`),
  );
  return lines.join('\n');
}

/** A session-read run as a Markdown table: each route's requests/s and, for signed-in routes, the share of its baseline's. */
export function formatSessionReads(run: SessionReadRun, settings: BenchReport['settings']): string[] {
  return [
    `### Session reads (${run.label}): \`next start\`, autocannon with ${settings.connections} connections, ` +
      `${settings.throughputSecondsPerRoute} rounds of 1 s per route in turns, after a warm-up; ` +
      'share of baseline = median over the rounds of requests/s ÷ the baseline’s in the same round',
    '',
    row('route', '', 'requests/s', 'mean latency', 'server CPU per request', 'share of baseline', 'target'),
    row('---', '---', '---:', '---:', '---:', '---:', '---:'),
    ...run.routes.map((route) =>
      row(
        `\`${route.path}\``,
        `${route.label}${route.signedIn ? ', signed in' : ''}`,
        String(Math.round(route.requestsPerSecond)),
        ms(route.latencyMeanMs),
        route.cpuMsPerRequest === undefined ? 'n/a' : `${route.cpuMsPerRequest.toFixed(2)} ms`,
        route.ratioToBaseline === undefined ? '' : `**${ratio(route.ratioToBaseline)}** of \`${route.baseline}\``,
        route.minRatio === undefined ? '' : `≥ ${ratio(route.minRatio)}`,
      ),
    ),
  ];
}

/** Writes `report` as JSON to `path`, creating its folder; fractions are rounded to 3 decimals. */
export function writeReport(path: string, report: BenchReport): void {
  const round = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, round, 2)}\n`);
}

function row(...cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function counts(requests: RequestCounts): string {
  const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));
  return `${format(totalRequests(requests))} (${COUNTED_ENDPOINTS.map((endpoint) => format(requests[endpoint])).join(' / ')})`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function ratio(value: number): string {
  return value.toFixed(2);
}
