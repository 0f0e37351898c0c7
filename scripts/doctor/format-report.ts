import type { DoctorReport } from './doctor';

const MARKS = { pass: '✓', fail: '✗', skip: '–' } as const;

/** The checklist as printed: one line per check, and an indented `fix:` under every ✗. */
export function formatReport(report: DoctorReport): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${MARKS[check.status]} ${check.title}: ${check.detail}`);
    if (check.fix) lines.push(`    fix: ${check.fix}`);
  }
  const count = (status: keyof typeof MARKS) => report.checks.filter((check) => check.status === status).length;
  lines.push('');
  lines.push(
    report.ok
      ? `All checks passed (${count('pass')} ✓, ${count('skip')} not run).`
      : `${count('fail')} check${count('fail') === 1 ? '' : 's'} failed (${count('pass')} ✓, ${count('skip')} not run).`,
  );
  return lines.join('\n');
}
