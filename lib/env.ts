import { parseEnv, type Env } from './parse-env';

export { EnvError, parseEnv, type Env } from './parse-env';

/** The environment, parsed once when the first module imports it; throws {@link EnvError} when incomplete. */
export const env: Env = parseEnv(process.env);
