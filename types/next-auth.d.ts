import type { DefaultSession } from 'next-auth';
import type { LogtoSessionUser } from '../lib/logto';

// This app's own declaration of `session.user` (the kit declares none, so it merges with an app's own, such as
// create-t3-app's `user: { id: string } & DefaultSession['user']`): what the kit's callbacks put there.
declare module 'next-auth' {
  interface Session {
    user: LogtoSessionUser & DefaultSession['user'];
  }
}
