import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { createLogtoKit, createRedisClient, readLogtoEnv, type LogtoProfile } from '../../../lib/logto';

// The compatibility cell next14-multi-provider (scripts/compat/cells.ts): the route of a host app that signed
// people in with a password and another OpenID provider before it added Logto, as a team writes it after the
// copy: its own providers and callbacks kept, the kit's `logto` provider literal and `withLogto` added.

const env = readLogtoEnv(process.env);

/** The host's role for each way of signing in, put on the token by its own `jwt` callback. */
const HOST_ROLES: Record<string, string> = { password: 'staff', acme: 'partner', logto: 'member' };

/** The password sign-in the host had before Logto (one fixed demo account; a real host checks its database). */
const passwordProvider = CredentialsProvider({
  id: 'password',
  name: 'Password',
  credentials: { username: { label: 'Username', type: 'text' }, password: { label: 'Password', type: 'password' } },
  async authorize(credentials) {
    if (credentials?.username === 'carol' && credentials.password === 'carol-password') {
      return { id: 'carol', name: 'Carol Password', email: 'carol@host.example.com' };
    }
    return null;
  },
});

/** Claims of the host's other OpenID provider. */
interface AcmeProfile {
  sub: string;
  name?: string;
  email?: string;
}

/** The host's other OpenID provider: a second client at the cell's issuer (COMPAT_ACME_*, set by the matrix). */
const acmeIssuer = process.env.COMPAT_ACME_ISSUER;
const acmeProvider: OAuthConfig<AcmeProfile> = {
  id: 'acme',
  name: 'ACME',
  type: 'oauth',
  issuer: acmeIssuer,
  wellKnown: acmeIssuer && `${acmeIssuer}/.well-known/openid-configuration`,
  clientId: process.env.COMPAT_ACME_ID,
  clientSecret: process.env.COMPAT_ACME_SECRET,
  authorization: { params: { scope: 'openid profile email' } },
  checks: ['pkce', 'state'],
  idToken: true,
  client: { id_token_signed_response_alg: 'ES384' },
  profile: (profile) => ({ id: profile.sub, name: profile.name ?? null, email: profile.email ?? null }),
};

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

/** The kit, wired as its route file does. */
export const logto = createLogtoKit({ provider: logtoProvider, env, redis: createRedisClient(process.env.REDIS_URL) });

/** The host's options: three providers and its own callbacks, the kit's composed in front of them. */
export const authOptions: NextAuthOptions = logto.withLogto({
  providers: [passwordProvider, acmeProvider, logtoProvider],
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt' },
  callbacks: {
    // The host's own logic: at sign-in, a role by provider and the provider's name, kept for the session.
    jwt({ token, account }) {
      if (account) {
        token.hostRole = HOST_ROLES[account.provider] ?? 'guest';
        token.signedInWith = account.provider;
      }
      return token;
    },
    session({ session, token }) {
      return { ...session, hostRole: token.hostRole, signedInWith: token.signedInWith };
    },
  },
});

export default logto.handler(authOptions);
