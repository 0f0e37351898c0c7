import { EnvError, parseEnv } from './parse-env';

/** Parses the environment and, when it is incomplete, prints which variables to fix and exits. */
export function checkEnvAtStartUp(): void {
  try {
    parseEnv(process.env);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}
