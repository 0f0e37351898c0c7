import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startTestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { ensureProductionBuild, ROOT, startNextServer } from './next-server';
import { sessionCookie } from './session-throughput';

/** One node of a V8 `.cpuprofile`. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A V8 CPU profile as `node --cpu-prof` writes it. */
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const USAGE = 'Usage: npm run bench:profile -- [--route <path>] [--duration <s>] [--connections <n>] [--top <n>]';

/**
 * Profiles one route of `next start` under load (`node --cpu-prof`) and prints the functions with the most
 * self time and the share of each package: where a session read spends its time.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      route: { type: 'string', default: '/api/auth/session' },
      duration: { type: 'string', default: '8' },
      connections: { type: 'string', default: '10' },
      top: { type: 'string', default: '25' },
      anonymous: { type: 'boolean', default: false },
    },
  });
  const issuer = await startTestIssuer();
  const profileDir = mkdtempSync(join(tmpdir(), 'session-profile-'));
  const env = {
    ...process.env,
    AUTH_LOGTO_ISSUER: issuer.issuer,
    AUTH_LOGTO_ID: issuer.clientId,
    AUTH_LOGTO_SECRET: issuer.clientSecret,
    AUTH_LOGTO_ID_TOKEN_ALG: 'ES384',
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  } as const;
  try {
    await ensureProductionBuild({ ...env, NEXTAUTH_URL: 'http://127.0.0.1:3000' });
    const server = await startNextServer(env, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    try {
      const cookie = await sessionCookie(server.url, issuer);
      const url = `${server.url}${values.route}`;
      const headers = values.anonymous ? {} : { cookie };
      await autocannon({ url, connections: Number(values.connections), duration: 2, headers });
      const result = await autocannon({ url, connections: Number(values.connections), duration: Number(values.duration), headers });
      console.log(`${values.route}: ${Math.round(result.requests.average)} requests/s, ${result.non2xx} non-2xx`);
    } finally {
      await server.stop();
    }
    const files = readdirSync(profileDir).map((name) => join(profileDir, name));
    if (files.length === 0) throw new Error('next start wrote no CPU profile');
    // `next start` may fork: the server's profile is the largest one.
    const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
    summarize(JSON.parse(readFileSync(largest, 'utf8')) as CpuProfile, Number(values.top));
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
    await issuer.close();
  }
}

function summarize(profile: CpuProfile, top: number) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const total = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0);
  const idle = [...selfMs].filter(([id]) => ['(idle)', '(program)'].includes(nodes.get(id)!.callFrame.functionName));
  const busy = total - idle.reduce((sum, [, ms]) => sum + ms, 0);

  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    const where = shortUrl(url);
    const key = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    byPackage.set(packageOf(url, functionName), (byPackage.get(packageOf(url, functionName)) ?? 0) + ms);
  }
  const print = (title: string, entries: Map<string, number>, count: number) => {
    console.log(`\n${title} (share of busy CPU time, ${Math.round(busy)} ms busy)`);
    for (const [key, ms] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      console.log(`${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${key}`);
    }
  };
  print('Self time by package', byPackage, 15);
  print('Self time by function', byFunction, top);
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'node internals (native)';
  if (url.startsWith('node:')) return 'node internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/node_modules\/((?:@[^/]+\/)?[^/]+))?/.exec(url);
  if (match) return match[2] ? `${match[1]} > ${match[2]}` : match[1];
  return shortUrl(url).startsWith('.next') ? '.next (app bundle)' : shortUrl(url);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  console.error(USAGE);
  process.exitCode = 1;
});
