import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readKitManifest } from '../compat/kit-manifest';
import { runDoctor } from '../doctor/doctor';
import { formatReport } from '../doctor/format-report';
import { readAppEnv, type NextEnvMode } from './app-env';
import { kitPathsFor, readAppLayout } from './app-layout';
import { appPathOf, readAppRecord } from './app-record';

/** The variables the doctor reads; set in this process's environment, they win over the app's files, as in Next.js. */
const DOCTOR_VARIABLES = /^(AUTH_LOGTO_[A-Z_]+|NEXTAUTH_URL|NEXTAUTH_SECRET|REDIS_URL)$/;

/** Options of {@link doctorApp}. */
export interface DoctorAppOptions {
  repoRoot: string;
  appDir: string;
  /** Whose env files: `development` (next dev, the default) or `production` (next build / next start). */
  mode: NextEnvMode;
  dryRun: boolean;
  print: (line: string) => void;
  /** This process's environment (default process.env). */
  processEnv?: Record<string, string | undefined>;
  /** Passed on to the doctor (tests point it at a local issuer). */
  fetch?: typeof fetch;
}

/**
 * `npm run kit -- doctor APP`: runs the tenant doctor (scripts/doctor) with the variables the app would get from
 * its env files, read as Next.js reads them for `mode`, so a team that copied the kit checks its tenant without
 * this repository's env. Resolves to 1 when a check fails.
 */
export async function doctorApp(options: DoctorAppOptions): Promise<number> {
  const { print } = options;
  const layout = readAppLayout(options.appDir);
  const { env, files, fromProcess } = readAppEnv(layout.dir, options.mode, options.processEnv ?? process.env, DOCTOR_VARIABLES);
  print(`Environment of ${layout.dir} as Next.js reads it for ${options.mode === 'production' ? 'next build / next start' : 'next dev'} (--mode ${options.mode}):`);
  print(files.length > 0 ? `  files, first wins: ${files.join(', ')}` : '  no env file (.env, .env.local, .env.<mode>, .env.<mode>.local)');
  if (fromProcess.length > 0) print(`  from this shell's environment, over the files: ${fromProcess.join(', ')}`);
  const set = Object.keys(env).filter((name) => DOCTOR_VARIABLES.test(name) && env[name]);
  print(`  set: ${set.length > 0 ? set.join(', ') : 'none of the kit’s variables'}`);
  if (options.dryRun) {
    print('Dry run: the doctor would now check these against the tenant.');
    return 0;
  }
  const kitDir = appPathOf(readAppRecord(layout.dir)?.paths ?? kitPathsFor(layout, readKitManifest(options.repoRoot)), 'lib/logto/');
  const receivers = [`${kitDir}logout/backchannel-logout.ts`, `${kitDir}logout/backchannel-logout.js`, `${layout.srcDir}pages/api/auth/backchannel-logout.ts`];
  const report = await runDoctor({
    env,
    backchannelReceiver: receivers.some((file) => existsSync(join(layout.dir, file))),
    ...(options.fetch && { fetch: options.fetch }),
  });
  print('');
  print(formatReport(report));
  return report.ok ? 0 : 1;
}
