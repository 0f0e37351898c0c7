import { LogtoEnvError, readLogtoEnv } from './logto';

/** Parses the environment and, when it is incomplete, prints which variables to fix and exits. */
export function checkEnvAtStartUp(): void {
  try {
    readLogtoEnv(process.env);
  } catch (error) {
    if (!(error instanceof LogtoEnvError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}
