import type { DefaultSession, Session } from 'next-auth';
import type { LogtoOrganization } from './authorization-claims';
import type {} from '../types/next-auth';

/** What the kit puts in `session.user` (besides next-auth's name, email and image). */
export interface LogtoSessionUser {
  /** The user's id: Logto's `sub` with JWT sessions, the adapter's user id with database sessions. */
  id: string;
  /** Logto global role names (scope `roles`); empty when not granted or for another provider. */
  roles: string[];
  /** Logto organizations (scope `urn:logto:scope:organizations`), with the user's organization roles there. */
  organizations: LogtoOrganization[];
}

/** A session as the kit's callbacks leave it: next-auth's, with {@link LogtoSessionUser} in `user`. */
export type LogtoSession = Session & { user: LogtoSessionUser & NonNullable<DefaultSession['user']> };
