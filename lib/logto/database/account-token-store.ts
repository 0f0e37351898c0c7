/** The Account row of a next-auth adapter, by the two columns it is unique on. */
export interface AccountKey {
  /** next-auth's provider id, e.g. `logto`. */
  provider: string;
  /** The user's id at the provider: Logto's `sub`. */
  providerAccountId: string;
}

/** The tokens next-auth writes into the Account row at sign-in, under the kit's names. */
export interface AccountTokens {
  /** `access_token`: the session's own (opaque, userinfo) access token. */
  accessToken: string | null;
  /** `refresh_token`; null once Logto refused it (the user signs in again). */
  refreshToken: string | null;
  /** `expires_at`: when `accessToken` expires, in epoch seconds. */
  expiresAt: number | null;
  /** `id_token`: the latest id_token, validated by openid-client at sign-in and at each refresh. */
  idToken: string | null;
}

/** An Account row as the kit reads it. */
export interface StoredAccount extends AccountKey, AccountTokens {
  /** The adapter's user id (`Account.userId`). */
  userId: string;
}

/**
 * Reads and writes the Logto tokens in the adapter's Account row, which next-auth v4's Adapter cannot (it has
 * no get or update for accounts). Every write of a refresh is a compare-and-swap on the old refresh token, and
 * one refresh grant at a time per account is held by a lock with an expiry, so instances never race Logto.
 */
export interface AccountTokenStore {
  /** The user's Account row for `provider` (the first, should the user have linked two). */
  findAccount(userId: string, provider: string): Promise<StoredAccount | null>;
  /** The Account row `key` names. */
  readAccount(key: AccountKey): Promise<StoredAccount | null>;
  /** Writes the tokens of a new sign-in: next-auth v4 updates no Account row of an existing account. */
  writeTokens(key: AccountKey, tokens: AccountTokens): Promise<void>;
  /** Writes `tokens` only if the row still holds `expectedRefreshToken`; whether it did. */
  swapTokens(key: AccountKey, expectedRefreshToken: string, tokens: AccountTokens): Promise<boolean>;
  /** Takes the account's refresh lock for `owner` until `ttlMs` from now; false while another owner holds it. */
  acquireRefreshLock(key: AccountKey, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lock back, if `owner` still holds it. */
  releaseRefreshLock(key: AccountKey, owner: string): Promise<void>;
}

/** Which app session (the adapter's `sessionToken`) one Logto sign-in began. */
export interface SessionLink {
  sessionToken: string;
  userId: string;
  provider: string;
  /** Logto's `sub`. */
  providerAccountId: string;
  /** Logto's session id from the id_token, when "Is session required" is on; back-channel logout names it. */
  sid: string | null;
  /** When the user signed in at Logto, epoch seconds (the id_token's `auth_time`, else its `iat`). */
  authTime: number;
  /** When the app session expires (the Session row's `expires`); links past it are pruned. */
  expires: Date;
}

/** The kit's own table that links back-channel logouts (`sid`, `sub`) to the Session rows to delete. */
export interface SessionLinkStore {
  /** Records a new link, and prunes links of sessions that expired. */
  linkSession(link: SessionLink): Promise<void>;
  /** Moves a link's expiry along with its session's (next-auth's `updateSession`). */
  extendSessionLink(sessionToken: string, expires: Date): Promise<void>;
  /** The session tokens Logto's `sid` began. */
  sessionsOfSid(sid: string): Promise<string[]>;
  /** The session tokens of Logto user `providerAccountId` signed in at or before `epochSeconds`. */
  sessionsOfSubBefore(provider: string, providerAccountId: string, epochSeconds: number): Promise<string[]>;
  /** Forgets the links of these sessions. */
  unlinkSessions(sessionTokens: string[]): Promise<void>;
}

/** Everything the kit keeps in the app's database for database sessions (`createLogtoKit({ database })`). */
export interface LogtoDatabaseStore extends AccountTokenStore, SessionLinkStore {}

/** The lock key of one account: provider and account id, which no id of either contains a newline of. */
export function accountLockKey({ provider, providerAccountId }: AccountKey): string {
  return `${provider}\n${providerAccountId}`;
}

/** Only the key of an account (a {@link StoredAccount} carries tokens too). */
export function keyOf({ provider, providerAccountId }: AccountKey): AccountKey {
  return { provider, providerAccountId };
}
