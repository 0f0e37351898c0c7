/**
 * Runs once when the Next.js server starts: a bad environment stops start-up with a message naming
 * each variable and the fix, instead of failing on the first sign-in.
 * @see https://nextjs.org/docs/pages/guides/instrumentation
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkEnvAtStartUp } = await import('./lib/check-env-at-start-up');
    checkEnvAtStartUp();
  }
}
