// A module (so the declarations below augment next-auth's types instead of replacing them).
export {};

/** Why a session can no longer call Logto; the UI sends the user to sign in again. */
type LogtoSessionError = 'RefreshAccessTokenError';

// Only optional members the kit alone adds, so this merges with the app's own declarations of Session and JWT.
// `session.user` is left to the app: create-t3-app declares `user: { id: string } & DefaultSession['user']`, and
// two declarations of one member must agree. The kit's `user` fields are typed by `LogtoSession` (index.ts);
// declare them for `useSession()` with `user: LogtoSessionUser & DefaultSession['user']` in your own declaration.
declare module 'next-auth' {
  /** What the browser sees (`useSession`, `/api/auth/session`): no tokens, ever. */
  interface Session {
    /** When the access token expires, epoch seconds; the client refetches the session before then. */
    accessTokenExpiresAt?: number;
    error?: LogtoSessionError;
  }
}

declare module 'next-auth/jwt' {
  /** The encrypted session cookie: Logto's tokens stay here, server side. */
  interface JWT {
    /** The provider the user signed in with (`account.provider`); the Logto kit touches only `logto` sessions. */
    provider?: string;
    accessToken?: string;
    /** When `accessToken` expires, epoch seconds (the unit of `account.expires_at`). */
    expiresAt?: number;
    refreshToken?: string;
    idToken?: string;
    /** Logto's session id from the id_token, present when "Is session required" is on; back-channel logout names it. */
    sid?: string;
    /** Random id of this app session (22 characters): names its resource tokens in the kit's token store. */
    sessionId?: string;
    /** When the user signed in at Logto, epoch seconds (the id_token's `auth_time`, else its `iat`); a back-channel logout naming only `sub` ends sessions signed in before it. */
    authTime?: number;
    error?: LogtoSessionError;
    /** The tokens above live in the kit's server-side store under `sessionId` (`tokenStorage: 'server'`), not in the cookie. */
    tokensStored?: boolean;
    /** Set while reading, never written: the server-side store did not answer, so this read has no tokens. */
    tokensUnavailable?: boolean;
  }
}
