import { basename } from 'node:path';
import { loadHostModules, type HostModules, type HostPaths } from './host-modules';
import { recordExclusion } from './suite-run';
import { readTestSettings, type LogtoKitTestSettings } from './test-settings';

/** The session strategies the suite knows: next-auth's `session.strategy`. */
export type SessionStrategy = 'jwt' | 'database';

// Read once per test file (jest gives each file its own copy of this module).
let probed: { key: string; modules: HostModules } | undefined;

/** Your route and auth module, as the settings name them (the auth module defaults to the route). */
export function hostPathsOf(settings: LogtoKitTestSettings): HostPaths {
  return { route: settings.route, authOptions: settings.authOptions ?? settings.route };
}

/**
 * Loads your host once while a test file is collected, with placeholder Logto variables (each describe block
 * loads it again, for real, against its test issuer): which tests apply depends on its session strategy, and a
 * host the suite cannot test fails the file with one line before any test runs.
 */
export function probeHost(paths: HostPaths, { env = {}, database }: { env?: Record<string, string>; database: boolean }): HostModules {
  const key = JSON.stringify([paths, env, database]);
  if (probed?.key === key) return probed.modules;
  const placeholders: Record<string, string> = {
    AUTH_LOGTO_ISSUER: 'https://logto.example.com/oidc',
    AUTH_LOGTO_ID: 'drop-in-probe',
    AUTH_LOGTO_SECRET: 'drop-in-probe',
    AUTH_LOGTO_ID_TOKEN_ALG: '',
    AUTH_LOGTO_RESOURCES: '',
    AUTH_LOGTO_SCOPES: '',
    AUTH_LOGTO_API_RESOURCE: '',
    NEXTAUTH_URL: 'http://localhost:3000',
    NEXTAUTH_SECRET: 'drop-in-probe-secret-drop-in-probe-secret',
    ...env,
  };
  const saved = Object.fromEntries(Object.keys(placeholders).map((name) => [name, process.env[name]]));
  Object.assign(process.env, placeholders);
  try {
    let modules: HostModules | undefined;
    jest.isolateModules(() => {
      modules = loadHostModules(paths, { database });
    });
    probed = { key, modules: modules! };
    return modules!;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** The session strategy of the host the settings name (`globals.logtoKit`), known when the test file is collected. */
export function hostStrategy(): SessionStrategy {
  const settings = readTestSettings();
  return probeHost(hostPathsOf(settings), { ...(settings.env && { env: settings.env }), database: settings.database !== undefined }).strategy;
}

/**
 * `it` for a test that applies only to hosts with `strategy`. On another host the test is not registered, and
 * `reason` (one line) goes into the summary the suite prints at the end of the run: left out, never skipped.
 */
export function itWith(strategy: SessionStrategy, reason: string): jest.It {
  if (hostStrategy() === strategy) return it;
  const leaveOut = (name: string) => note(name, strategy, reason);
  return Object.assign(leaveOut, {
    each: (table: readonly unknown[]) => (name: string) => {
      for (const row of table) leaveOut(Array.isArray(row) ? name.replace('%s', String(row[0])) : name);
    },
  }) as unknown as jest.It;
}

/** `describe` for a block that applies only to hosts with `strategy`; on another host it is left out as {@link itWith} says. */
export function describeWith(strategy: SessionStrategy, reason: string): (name: string, body: () => void) => void {
  if (hostStrategy() === strategy) return describe;
  return (name) => note(name, strategy, reason);
}

function note(name: string, strategy: SessionStrategy, reason: string): void {
  const file = basename(expect.getState().testPath ?? 'unknown');
  recordExclusion(readTestSettings(), `${file} › ${name} (${strategy} sessions only): ${reason}`);
}
