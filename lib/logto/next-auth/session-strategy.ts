import type { NextAuthOptions } from 'next-auth';

/**
 * Whether next-auth keeps these options' sessions in the database: `session.strategy`, which defaults to
 * `database` once an adapter is set (next-auth v4 core/init.ts).
 */
export function usesDatabaseSessions(authOptions: NextAuthOptions): boolean {
  return (authOptions.session?.strategy ?? (authOptions.adapter ? 'database' : 'jwt')) === 'database';
}
