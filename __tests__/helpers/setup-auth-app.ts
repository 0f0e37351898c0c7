import { startAuthApp, type AuthApp } from './auth-app';
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from '../logto-kit/helpers/test-issuer';

/** Options of {@link setupAuthApp}. */
export interface SetupAuthAppOptions {
  /** How the test issuer is configured (client, redirect URIs, latency, token lifetime). */
  issuer?: TestIssuerOptions;
  /** Environment variables for the app, over the ones {@link startAuthApp} sets. */
  env?: Record<string, string>;
  /** A fresh issuer and app for every test (cold caches), instead of one for the whole describe block. */
  perTest?: boolean;
}

/** The issuer and app {@link setupAuthApp} runs; read them inside a test or hook. */
export interface RunningAuthApp {
  readonly issuer: TestIssuer;
  /** Assignable, for a test that restarts the app (e.g. on a mocked clock); the app current at teardown is closed. */
  app: AuthApp;
}

/**
 * Starts a test issuer and the app against it before the tests of the enclosing describe block (before each
 * test with `perTest`), closes both after them, and empties `app.logs` before each test.
 */
export function setupAuthApp(options: SetupAuthAppOptions = {}): RunningAuthApp {
  let issuer: TestIssuer | undefined;
  let app: AuthApp | undefined;

  const start = async () => {
    issuer = await startTestIssuer(options.issuer);
    app = await startAuthApp(issuer, options.env);
  };
  const stop = async () => {
    await app?.close();
    await issuer?.close();
    app = undefined;
    issuer = undefined;
  };
  if (options.perTest) {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
  }
  beforeEach(() => {
    app?.logs.splice(0);
  });

  const notRunning = (name: string) =>
    new Error(`setupAuthApp: the ${name} runs only during the tests and hooks of the describe block that set it up`);
  return {
    get issuer() {
      if (!issuer) throw notRunning('issuer');
      return issuer;
    },
    get app() {
      if (!app) throw notRunning('app');
      return app;
    },
    set app(value) {
      app = value;
    },
  };
}
