import type { DefaultSession } from 'next-auth';
import type { LogtoOrganization } from '../session/authorization-claims';

/** Why a session can no longer call Logto; the UI sends the user to sign in again. */
type LogtoSessionError = 'RefreshAccessTokenError';

declare module 'next-auth' {
  /** What the browser sees (`useSession`, `/api/auth/session`): no tokens, ever. */
  interface Session {
    user: {
      /** The Logto user id (`sub`). */
      id: string;
      /** Logto global role names (scope `roles`); empty when not granted. */
      roles: string[];
      /** Logto organizations (scope `urn:logto:scope:organizations`), with the user's organization roles there. */
      organizations: LogtoOrganization[];
    } & DefaultSession['user'];
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
