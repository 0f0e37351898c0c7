// Patterns of the line that says what went wrong, most telling first: a type error beats the generic
// "Build failed because of webpack errors" that follows it.
const REASON_PATTERNS: RegExp[] = [
  /Type error: .*/,
  /Module not found: .*/,
  /SyntaxError: .*/,
  /npm (?:ERR!|error) (?:code|ERESOLVE|notarget|peer).*/,
  /●(?! Console).*›.*/,
  /\bError: .*/,
  /Failed to compile.*/,
  /(?:npm ERR!|npm error) .*/,
];

/**
 * The one line of a command's output that best says why it failed: a type error with its file, a
 * missing module, a failing test's name, else the last line printed.
 */
export function pickFailureReason(output: string): string {
  const lines = stripAnsi(output).split('\n').map((line) => line.trim());
  for (const pattern of REASON_PATTERNS) {
    const index = lines.findIndex((line) => pattern.test(line));
    if (index === -1) continue;
    const reason = lines[index].match(pattern)![0];
    // Next.js prints the file and line just above a type error or a missing module.
    const where = lines[index - 1] ?? '';
    return /:\d+:\d+$/.test(where) ? `${reason} (${where})` : reason;
  }
  return lines.filter(Boolean).at(-1) ?? '(no output)';
}

/** jest's `Tests:` summary line, e.g. `41 passed, 41 total`; undefined when jest printed none. */
export function summarizeJest(output: string): string | undefined {
  return stripAnsi(output).match(/^Tests:\s+(.*)$/m)?.[1]?.trim();
}

// ANSI colour codes, which jest and Next.js print when they think a terminal is watching.
function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
