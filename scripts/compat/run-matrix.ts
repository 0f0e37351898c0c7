// `npm run test:compat`: the drop-in kit in legacy Pages Router apps. For each cell, a minimal app is
// scaffolded from the registry with exact versions, the kit goes in through `npm run kit -- add`, and it is
// built, tested with the drop-in suite, and signed in and out over HTTP against the local issuer.
// Options: --cell <name> (repeatable; default all), --keep (keep the scaffolded apps), --list.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CELLS, findCell, type CompatCell } from './cells';
import { stopAllProcesses } from './commands';
import { readKitManifest } from './kit-manifest';
import { failureReason, formatMarkdown, formatTable } from './report';
import { runCell, type CellReport } from './run-cell';
import { CREATE_T3_APP } from './t3/scaffold-t3-app';

const ROOT = resolve(__dirname, '..', '..');
const RESULTS_DIR = join(ROOT, 'test-results');
const USAGE = 'Usage: npm run test:compat -- [--cell <name>]... [--keep] [--list]';

async function main(): Promise<number> {
  const args = readArgs();
  if (args.list) {
    const width = Math.max(...CELLS.map((cell) => cell.name.length)) + 2;
    for (const cell of CELLS) console.info(`${cell.name.padEnd(width)}${describeCell(cell)}`);
    return 0;
  }
  const cells = args.cells.length > 0 ? args.cells.map(findCell) : [...CELLS];
  const kit = readKitManifest(ROOT);
  const logDir = join(RESULTS_DIR, 'compat');
  mkdirSync(logDir, { recursive: true });

  const reports: CellReport[] = [];
  for (const cell of cells) {
    console.info(`[compat] ${cell.name}: ${describeCell(cell)} …`);
    const report = await runCell(cell, { repoRoot: ROOT, kit, logDir, keep: args.keep });
    reports.push(report);
    const result = report.passed ? 'passed' : `FAILED: ${failureReason(report)}\n          log: ${report.logFile}`;
    console.info(`[compat] ${cell.name}: ${result} (${Math.round(report.seconds)} s)`);
  }

  console.info(`\n${formatTable(reports)}`);
  // A partial run writes its own file, so the full matrix's table (the README's source) stays intact.
  const markdownFile = join(RESULTS_DIR, args.cells.length > 0 ? `compat-${args.cells.join('-')}.md` : 'compat.md');
  writeFileSync(markdownFile, formatMarkdown(reports, new Date()));
  const passed = reports.filter((report) => report.passed).length;
  console.info(`\n${relative(process.cwd(), markdownFile)} written\ncompat: ${passed} passed, ${reports.length - passed} failed`);
  return passed === reports.length ? 0 : 1;
}

function readArgs() {
  try {
    const { values } = parseArgs({
      options: {
        cell: { type: 'string', multiple: true, default: [] },
        keep: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
      },
    });
    const cells = values.cell.flatMap((value) => value.split(','));
    cells.forEach(findCell);
    return { cells, keep: values.keep, list: values.list };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

function describeCell(cell: CompatCell): string {
  if (cell.kind === 'this-app') return 'this repository (its own build, drop-in tests and HTTP flow)';
  if (cell.kind === 'create-t3-app') return `${CREATE_T3_APP} (Pages Router, next-auth + Prisma on SQLite, tRPC, Tailwind): database sessions`;
  const { next, react } = cell.packages;
  const extras = [
    cell.basePath && `basePath ${cell.basePath}`,
    cell.nextAuthUrlPath && `NEXTAUTH_URL path ${cell.nextAuthUrlPath}`,
    cell.hostApp && `host route ${cell.hostApp}`,
    cell.hostProviders?.length && `providers ${cell.hostProviders.map((provider) => provider.id).join(', ')}`,
    cell.behindHttpsProxy && 'behind an https proxy',
    cell.database && `database sessions in ${cell.database.kind === 'postgres' ? 'PostgreSQL 15' : 'SQLite'}`,
    cell.instances === 2 && '2 instances behind a load balancer',
  ];
  return [`Next ${next}`, `React ${react}`, `next-auth ${cell.packages['next-auth']}`, ...extras.filter(Boolean)].join(' + ');
}

// Ctrl-C reaches the runner, not the detached process groups of the issuer and the apps.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAllProcesses().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`compat: ${error.message}`);
    void stopAllProcesses().finally(() => process.exit(1));
  },
);
