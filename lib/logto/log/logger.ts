import { isSessionEndedError } from '../logout/session-ended-error';
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
      // next-auth reports the end of a signed-out session as JWT_SESSION_ERROR; it is no failure.
      if (isSessionEndedError(metadata)) return sink.warn('[auth] warning LOGTO_SESSION_ENDED signed out or back-channel logout');
      // Error messages can carry request input (next-auth logs the callback's `error` parameter as is).
      const detail = oneLine(describeError(metadata));
      const explanation = explainAuthError(metadata, code);
      sink.error(
        explanation
          ? `[auth] ${code}: ${explanation.cause}. Fix: ${explanation.fix}. (${detail})`
          : `[auth] ${code}: ${detail}`,
      );
    },
    warn(code, metadata) {
      sink.warn(`[auth] warning ${code}${metadata === undefined ? '' : ` ${oneLine(JSON.stringify(metadata) ?? typeof metadata)}`}`);
    },
  };
}

/** The app's logger: next-auth's `logger` option and every Logto helper write here. */
export const authLogger: AuthLogger = createAuthLogger();

/** Longest detail a log line carries, in characters; request input can be 100 KB. */
export const MAX_LOG_DETAIL_LENGTH = 1000;

/**
 * `text` as one bounded line: control characters escaped, so input cannot forge a log line
 * (OWASP "Log Injection"), and cut at {@link MAX_LOG_DETAIL_LENGTH}.
 */
export function oneLine(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > MAX_LOG_DETAIL_LENGTH ? `${escaped.slice(0, MAX_LOG_DETAIL_LENGTH)}… (${escaped.length} characters)` : escaped;
}
