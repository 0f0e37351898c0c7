import { describeError, explainAuthError } from './explain-auth-error';

/**
 * The logger next-auth and this app's Logto helpers write to; fits next-auth's `logger` option.
 * No `debug`: next-auth's debug output holds tokens, and stays off unless `debug: true`.
 */
export type AuthLogger = {
  error(code: string, metadata: unknown): void;
  warn(code: string, metadata?: unknown): void;
};

/** Where log lines go; `console` unless a test collects them. */
export interface LogSink {
  error(line: string): void;
  warn(line: string): void;
}

/**
 * A next-auth logger that prints one line per failure, with its cause and fix when known,
 * instead of next-auth's multi-line dumps.
 * @see https://next-auth.js.org/configuration/options#logger
 */
export function createAuthLogger(sink: LogSink = console): AuthLogger {
  return {
    error(code, metadata) {
      const detail = describeError(metadata);
      const explanation = explainAuthError(metadata);
      sink.error(
        explanation
          ? `[auth] ${code}: ${explanation.cause}. Fix: ${explanation.fix}. (${detail})`
          : `[auth] ${code}: ${detail}`,
      );
    },
    warn(code, metadata) {
      sink.warn(`[auth] warning ${code}${metadata === undefined ? '' : ` ${JSON.stringify(metadata)}`}`);
    },
  };
}

/** The app's logger: next-auth's `logger` option and every Logto helper write here. */
export const authLogger: AuthLogger = createAuthLogger();
