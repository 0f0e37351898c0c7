import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBrowser } from '../../__tests__/logto-kit/helpers/browser';
import { readSession, signIn } from '../../__tests__/logto-kit/helpers/sign-in-flow';
import type { TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { startRouteInstance, type RouteInstance } from '../../__tests__/db/helpers/route-instances';
import { findFreePort } from '../free-port';
import type { BenchCheck } from './report';
import { roundOrder } from './session-throughput';
import { median } from './stats';

/** Issue 17's bar: the kit's database-session read keeps at least this share of plain next-auth's. */
export const MIN_DATABASE_SESSION_RATIO = 0.9;

/** The database-session figures of `npm run bench`. */
export interface DatabaseSessionReport {
  /** `/api/auth/session` requests per second with the kit and with plain next-auth; `ratio` is the median per-round ratio. */
  sessionReadsPerSecond: { kit: number; plain: number; ratio: number; roundRatios: number[] };
  database: string;
}

/** Options of {@link measureDatabaseSessions}. */
export interface DatabaseSessionOptions {
  /** Seconds of load per configuration, in one-second rounds taking turns. */
  durationSeconds: number;
  connections: number;
}

const MIGRATION = join(__dirname, '..', '..', '__tests__', 'database', 'prisma', 'migrations', '0_init', 'migration.sql');
const KIT_ROUTE = '__tests__/fixtures/database-host-route.ts';
const PLAIN_ROUTE = '__tests__/fixtures/database-host-plain-route.ts';
const WARM_UP_SECONDS = 3;

/**
 * `/api/auth/session` on database sessions, same SQLite file, same Prisma adapter: the kit's route
 * (`logto.handler(logto.withLogto(...))`, __tests__/fixtures/database-host-route.ts) against plain next-auth
 * (database-host-plain-route.ts), each in a process of its own, loaded in turns. One session is read by both.
 */
export async function measureDatabaseSessions(
  issuer: TestIssuer,
  env: NodeJS.ProcessEnv,
  { durationSeconds, connections }: DatabaseSessionOptions,
): Promise<DatabaseSessionReport> {
  const dir = mkdtempSync(join(tmpdir(), 'logto-bench-db-'));
  const file = join(dir, 'bench.db');
  const setup = new Database(file);
  setup.exec(readFileSync(MIGRATION, 'utf8'));
  setup.close();
  const instances: RouteInstance[] = [];
  try {
    const [kitPort, plainPort] = await Promise.all([findFreePort(), findFreePort()]);
    const values = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const shared = { ...values, NEXTAUTH_URL: `http://127.0.0.1:${kitPort}`, DATABASE_URL: `file:${file}` };
    instances.push(...(await Promise.all([startRouteInstance(KIT_ROUTE, kitPort, shared), startRouteInstance(PLAIN_ROUTE, plainPort, shared)])));
    const configurations = instances.map((instance) => instance.url);

    const browser = createBrowser(configurations[0]!);
    await signIn(browser, issuer);
    if (!(await readSession(browser))) throw new Error('Could not sign in on database sessions');
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    // Both answer the same signed-in session, or the comparison is of different work.
    const bodies = await Promise.all(
      configurations.map(async (url) => (await (await fetch(`${url}/api/auth/session`, { headers: { cookie } })).json()) as { user?: unknown }),
    );
    if (!bodies.every((body) => body.user)) throw new Error(`Not both configurations read the session: ${JSON.stringify(bodies)}`);
    const load = async (url: string, duration: number) => {
      const result = await autocannon({ url: `${url}/api/auth/session`, connections, duration, headers: { cookie } });
      if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
        throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts`);
      }
      return result.requests.total / result.duration;
    };

    for (const url of configurations) await load(url, WARM_UP_SECONDS);
    const perRound: number[][] = [[], []];
    for (let round = 0; round < Math.ceil(durationSeconds); round += 1) {
      for (const i of roundOrder(2, round)) perRound[i]!.push(await load(configurations[i]!, 1));
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const roundRatios = perRound[0]!.map((rps, round) => rps / perRound[1]![round]!);
    return {
      sessionReadsPerSecond: { kit: mean(perRound[0]!), plain: mean(perRound[1]!), ratio: median(roundRatios), roundRatios },
      database: 'SQLite file, Prisma 6.19 (better-sqlite3 driver adapter), @next-auth/prisma-adapter',
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Issue 17's target: the kit's database-session read keeps {@link MIN_DATABASE_SESSION_RATIO} of plain next-auth's. */
export function databaseSessionChecks({ sessionReadsPerSecond: { ratio } }: DatabaseSessionReport): BenchCheck {
  return {
    name: `database sessions: the kit's \`/api/auth/session\` serves ${ratio.toFixed(2)} of plain next-auth's requests/s (≥ ${MIN_DATABASE_SESSION_RATIO})`,
    pass: ratio >= MIN_DATABASE_SESSION_RATIO,
  };
}

/** The database-session figures as a Markdown table. */
export function formatDatabaseSessions({ sessionReadsPerSecond: reads, database }: DatabaseSessionReport): string {
  return [
    `### Database sessions: \`/api/auth/session\` (${database})`,
    '',
    '| | requests/s |',
    '| --- | ---: |',
    `| plain next-auth | ${reads.plain.toFixed(0)} |`,
    `| with the kit | ${reads.kit.toFixed(0)} |`,
    `| kit / plain (median of ${reads.roundRatios.length} rounds) | ${reads.ratio.toFixed(2)} |`,
  ].join('\n');
}
