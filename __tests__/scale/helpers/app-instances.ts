import { randomBytes } from 'node:crypto';
import { ensureProductionBuild } from '../../../scripts/bench/next-server';

/**
 * `next build` into the app's `.next`, unless a build newer than every source is there already (`.ci/run`
 * builds before `npm run test:scale`). The build validates the environment: throwaway values, no secret.
 */
export async function buildAppOnce(): Promise<'built' | 'reused'> {
  return ensureProductionBuild(
    instanceEnv({
      AUTH_LOGTO_ISSUER: 'https://build.invalid/oidc',
      AUTH_LOGTO_ID: 'scale-build',
      AUTH_LOGTO_SECRET: 'scale-build',
      NEXTAUTH_URL: 'http://localhost:3000',
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    }),
  );
}

/**
 * The environment of one app instance (`startNextServer`'s `env`): this process's minus any Logto, next-auth
 * or Redis settings, plus `values`, in production mode without telemetry.
 */
export function instanceEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(AUTH_LOGTO_|NEXTAUTH_|REDIS_URL$)/.test(name));
  // jest sets NODE_ENV=test; Next.js wants production for build and start.
  return { ...Object.fromEntries(inherited), ...values, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
}
