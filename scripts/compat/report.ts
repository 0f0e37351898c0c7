import { STEPS, type CellReport, type StepName, type StepOutcome } from './run-cell';

const STEP_TITLES: Record<StepName, string> = {
  build: 'next build',
  dropIn: 'drop-in tests',
  signIn: 'sign-in',
  refresh: 'refresh',
  signOut: 'sign-out',
  backChannel: 'back-channel logout',
  providers: 'other providers',
  instances: '2 instances',
  outage: 'database outage',
};

const HEADERS = ['cell', 'Next.js', 'React', 'next-auth', ...STEPS.map((name) => STEP_TITLES[name]), 'time', 'result'];

/** The matrix as a plain-text table for the terminal, failures' reasons and log files below it. */
export function formatTable(reports: CellReport[]): string {
  const rows = reports.map((report) => cells(report, false));
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const failures = reports
    .filter((report) => !report.passed)
    .map((report) => `${report.cell}: ${failureReason(report)}\n  log: ${report.logFile}`);
  return [line(HEADERS), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), '', ...failures]
    .join('\n')
    .trimEnd();
}

/** The matrix as a markdown table with a reason column, for test-results/compat.md and the README. */
export function formatMarkdown(reports: CellReport[], ranAt: Date): string {
  const headers = [...HEADERS, 'reason'];
  const rows = reports.map((report) => [...cells(report, true), report.passed ? '' : failureReason(report)]);
  const escape = (text: string) => text.replaceAll('|', '\\|');
  return [
    `Compatibility matrix, \`npm run test:compat\`, ${ranAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}:`,
    '',
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
    '',
  ].join('\n');
}

/** The first reason a cell did not pass: setup's, else the first failed step's. */
export function failureReason(report: CellReport): string {
  if (report.setup.status === 'failed') return `setup: ${report.setup.reason}`;
  const failed = STEPS.find((name) => report.steps[name].status === 'failed');
  return failed ? `${STEP_TITLES[failed]}: ${report.steps[failed].reason}` : 'did not finish';
}

function cells(report: CellReport, markdown: boolean): string[] {
  const { next, react, nextAuth } = report.versions;
  const setupFailed = report.setup.status === 'failed';
  return [
    markdown ? `\`${report.cell}\`` : report.cell,
    next,
    react,
    nextAuth,
    ...STEPS.map((name) => (setupFailed && report.steps[name].status !== 'n/a' ? 'not run' : outcome(report.steps[name], name))),
    `${Math.round(report.seconds)} s`,
    report.passed ? 'passed' : 'FAILED',
  ];
}

function outcome(step: StepOutcome, name: StepName): string {
  if (step.status === 'n/a') return '—';
  if (step.status === 'not run') return 'not run';
  if (step.status === 'failed') return 'FAILED';
  const seconds = `${Math.round(step.seconds ?? 0)} s`;
  return name === 'dropIn' && step.note ? `passed (${step.note.replace(/, \d+ total$/, '')}, ${seconds})` : `passed (${seconds})`;
}
