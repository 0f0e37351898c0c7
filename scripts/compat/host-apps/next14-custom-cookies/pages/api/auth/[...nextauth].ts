import type { NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { createLogtoKit, createRedisClient, readLogtoEnv, type LogtoProfile } from '../../../lib/logto';

// The compatibility cell next14-custom-cookies (scripts/compat/cells.ts): a host app behind a TLS-terminating
// proxy (NEXTAUTH_URL is the public https:// URL) with its own cookie names, Secure cookies and its own
// sign-in and error pages, as a team writes its route after the copy.

const env = readLogtoEnv(process.env);
const secure = { httpOnly: true, sameSite: 'lax', path: '/', secure: true } as const;

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

/** The host's options: its cookie names (Secure, with the prefixes https allows) and its own pages. */
export const authOptions: NextAuthOptions = logto.withLogto({
  providers: [logtoProvider],
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt' },
  useSecureCookies: true,
  cookies: {
    sessionToken: { name: '__Secure-host.session', options: secure },
    callbackUrl: { name: '__Secure-host.callback-url', options: secure },
    csrfToken: { name: '__Host-host.csrf', options: secure },
    pkceCodeVerifier: { name: '__Secure-host.pkce', options: { ...secure, maxAge: 900 } },
    state: { name: '__Secure-host.state', options: { ...secure, maxAge: 900 } },
    nonce: { name: '__Secure-host.nonce', options: secure },
  },
  pages: { signIn: '/login', error: '/oops' },
});

export default logto.handler(authOptions);
