import type { DoctorReport } from './doctor';

const MARKS = { pass: '✓', warn: '⚠', fail: '✗', skip: '–' } as const;

/** The checklist as printed: one line per check, and an indented `fix:` under every ✗ and ⚠. */
export function formatReport(report: DoctorReport): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${MARKS[check.status]} ${check.title}: ${check.detail}`);
    if (check.fix) lines.push(`    fix: ${check.fix}`);
  }
  const count = (status: keyof typeof MARKS) => report.checks.filter((check) => check.status === status).length;
  const warnings = count('warn');
  const tally = `${count('pass')} ✓, ${warnings > 0 ? `${warnings} ⚠, ` : ''}${count('skip')} not run`;
  lines.push('');
  lines.push(
    !report.ok
      ? `${count('fail')} check${count('fail') === 1 ? '' : 's'} failed (${tally}).`
      : warnings > 0
        ? `No check failed; ${warnings} warning${warnings === 1 ? '' : 's'} to read (${tally}).`
        : `All checks passed (${tally}).`,
  );
  return lines.join('\n');
}
