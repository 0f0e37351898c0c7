import { KyselyAdapter } from '@auth/kysely-adapter';
import { CompiledQuery } from 'kysely';
import type { NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { db, pool } from '../../../lib/db';
import { createLogtoKit, createSqlAccountStore, readLogtoEnv, type LogtoProfile } from '../../../lib/logto';

// The compatibility cell next14-db-postgres (scripts/compat/cells.ts): a host app whose sessions live in
// PostgreSQL through a non-Prisma adapter (@auth/kysely-adapter), run as two instances behind one NEXTAUTH_URL.
// After the copy, the team added the kit's `logto` provider literal and its SQL store, and kept the adapter.

const env = readLogtoEnv(process.env);

/**
 * Logto: the provider literal copied from the kit's route file (its comments shortened).
 * @see https://docs.logto.io/quick-starts/next-auth
 */
export const logtoProvider: OAuthConfig<LogtoProfile> = {
  id: 'logto',
  name: 'Logto',
  type: 'oauth',
  issuer: env.AUTH_LOGTO_ISSUER,
  wellKnown: `${env.AUTH_LOGTO_ISSUER}/.well-known/openid-configuration`,
  clientId: env.AUTH_LOGTO_ID,
  clientSecret: env.AUTH_LOGTO_SECRET,
  authorization: {
    params: {
      scope: ['openid offline_access profile email', ...env.AUTH_LOGTO_SCOPES].join(' '),
      // Logto issues a refresh token for offline_access only with prompt=consent (OIDC Core §11).
      prompt: 'consent',
      ...(env.AUTH_LOGTO_RESOURCES.length > 0 && { resource: env.AUTH_LOGTO_RESOURCES }),
    },
  },
  checks: ['pkce', 'state', 'nonce'],
  idToken: true,
  client: { id_token_signed_response_alg: env.AUTH_LOGTO_ID_TOKEN_ALG },
  profile(profile) {
    return {
      id: profile.sub,
      name: profile.name ?? profile.username ?? null,
      email: profile.email ?? null,
      image: profile.picture ?? null,
    };
  },
};

/** The kit, keeping Logto's tokens in the adapter's Account row through the app's own Kysely instance. */
export const logto = createLogtoKit({
  provider: logtoProvider,
  env,
  database: createSqlAccountStore({ dialect: 'postgres', query: (sql, params) => db.executeQuery(CompiledQuery.raw(sql, params)) }),
});

// pg emits 'error' on an idle connection whose server went away; unheard, that ends the process.
pool.on('error', (error) => logto.logger.error('LOGTO_DATABASE_ERROR', error));

/** The host's options: Kysely's adapter (database sessions, next-auth's default with an adapter) and Logto. */
export const authOptions: NextAuthOptions = logto.withLogto({
  adapter: KyselyAdapter(db) as NextAuthOptions['adapter'],
  providers: [logtoProvider],
  secret: env.NEXTAUTH_SECRET,
});

export default logto.handler(authOptions);
