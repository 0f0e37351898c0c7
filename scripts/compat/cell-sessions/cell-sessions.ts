import type { HttpBrowser } from '../http-flow/http-browser';

/** Logto's tokens of one session, where the app keeps them; `expiresAt` in epoch seconds. */
export interface LogtoTokens {
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  expiresAt?: number;
}

/** A signed-in browser's session as the app keeps it, read right after a sign-in or a read. */
export interface CapturedSession {
  tokens: LogtoTokens;
  /** The session cookie's value: the JWT, or the Session row's token (database sessions). */
  cookie: string;
  /** When it was read, epoch milliseconds. */
  capturedAt: number;
  /** Where it is kept, for the step's note, e.g. `cookie` or `Session row + Account row`. */
  where: string;
}

/**
 * How a cell's app keeps a Logto session, as the HTTP steps check and change it: in the session cookie (JWT
 * sessions, jwt-sessions.ts) or in the database's rows (an adapter, database-sessions.ts). The steps themselves
 * (run-cell.ts) stay the same for both.
 */
export interface CellSessions {
  readonly strategy: 'jwt' | 'database';
  /** Reads the browser's Logto session where the app keeps it; throws when it is missing or lacks Logto's tokens. */
  capture(browser: HttpBrowser): Promise<CapturedSession>;
  /**
   * Makes the session's access token expired (`expiresAt` a minute ago), as time passing would, so that the next
   * session read must refresh it. Returns a note for the step.
   */
  expire(browser: HttpBrowser, session: CapturedSession): Promise<string>;
  /** Throws unless the session whose cookie was `session.cookie` is gone from where the app kept it, after a read; returns a note. */
  expectGone(browser: HttpBrowser, session: Pick<CapturedSession, 'cookie'>): Promise<string>;
  /** Releases what it holds (a database connection). */
  close(): Promise<void>;
}

/** Throws unless `tokens` has all four of Logto's tokens, an access token that is still valid among them. */
export function expectLogtoTokens(tokens: LogtoTokens, where: string): void {
  const missing = (['accessToken', 'refreshToken', 'idToken', 'expiresAt'] as const).filter((field) => tokens[field] === undefined);
  if (missing.length > 0) throw new Error(`the ${where} lacks Logto's ${missing.join(', ')}`);
  if (tokens.expiresAt! <= Date.now() / 1000) throw new Error(`the ${where} holds an access token that expired at ${tokens.expiresAt}`);
}
