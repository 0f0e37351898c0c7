/**
 * A failure the kit CLI explains instead of crashing: what went wrong and how to fix it. The CLI prints
 * both lines and exits 1, never a stack trace.
 */
export class KitCliError extends Error {
  override name = 'KitCliError';

  constructor(
    /** What went wrong, naming the file, package or value at fault. */
    readonly problem: string,
    /** What to do about it: a command to run or a file to change. */
    readonly fix: string,
  ) {
    super(`${problem}\nFix: ${fix}`);
  }
}
