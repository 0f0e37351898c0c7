/**
 * The claims Logto puts in its id_token (and userinfo) for the scopes this app asks for.
 * @see https://docs.logto.io/references/openid-connect/id-token-claims
 */
export interface LogtoProfile {
  /** The user's unique, stable Logto id. */
  sub: string;
  /** Full name (`profile` scope); null when the user never set one, e.g. most Kakao sign-ins. */
  name?: string | null;
  /** Username (`profile` scope); null for users who signed up with a social connector only. */
  username?: string | null;
  /** Avatar URL (`profile` scope); for Kakao users, the Kakao profile image when shared. */
  picture?: string | null;
  /** Primary email (`email` scope); null when the user has none, as Kakao often shares none. */
  email?: string | null;
  /** Whether `email` was verified (`email` scope). */
  email_verified?: boolean;
  /** Primary phone number in E.164 (`phone` scope). */
  phone_number?: string | null;
  /** Whether `phone_number` was verified (`phone` scope). */
  phone_number_verified?: boolean;
  /** Names of the user's global roles (`roles` scope). */
  roles?: string[];
  /** Ids of the organizations the user belongs to (`urn:logto:scope:organizations`). */
  organizations?: string[];
  /** `<organization id>:<role name>` pairs (`urn:logto:scope:organization_roles`). */
  organization_roles?: string[];
  /** Arbitrary JSON the tenant stored on the user (`custom_data` scope). */
  custom_data?: Record<string, unknown>;
  /** Linked social identities keyed by connector target, e.g. `kakao` (`identities` scope). */
  identities?: Record<string, { userId: string; details?: Record<string, unknown> }>;
  /** When the user was created, epoch milliseconds (Logto's own unit for this claim). */
  created_at?: number;
  /** When the profile was last updated, epoch milliseconds. */
  updated_at?: number;
}
