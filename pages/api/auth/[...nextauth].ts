import type { NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { createLogtoKit, createRedisClient, readLogtoEnv, type LogtoProfile } from '../../../lib/logto';

/** AUTH_LOGTO_* and NEXTAUTH_*, validated: a missing or malformed one throws an error naming it and the fix. */
const env = readLogtoEnv(process.env);

/**
 * Logto as a hand-configured OIDC provider, written like next-auth's built-in ones. Logto Console ("Traditional web" app):
 * redirect URI `<app>/api/auth/callback/logto`, post sign-out redirect URI `<app>`, Backchannel logout URI
 * `<app>/api/auth/backchannel-logout` with "Is session required" on; `<app>` is NEXTAUTH_URL's origin and basePath.
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
      // RFC 8707: every API resource must be named here, or Logto refuses its tokens (invalid_target) later.
      // openid-client sends an array as repeated `resource` parameters; the code grant names none, so the
      // session's access token stays Logto's opaque userinfo token. Resource tokens: logto.getAccessToken().
      ...(env.AUTH_LOGTO_RESOURCES.length > 0 && { resource: env.AUTH_LOGTO_RESOURCES }),
    },
  },
  // As next-auth's built-in OIDC providers: PKCE (S256) binds the code to this browser, which is what a nonce would
  // add in the code flow (RFC 9700 §2.1.1; OIDC Core §3.1.2.1 makes nonce optional here).
  checks: ['pkce', 'state'],
  idToken: true,
  // Logto signs id_tokens with ES384 (P-384) by default; openid-client expects RS256 unless told.
  // https://docs.logto.io/concepts/signing-keys
  client: { id_token_signed_response_alg: env.AUTH_LOGTO_ID_TOKEN_ALG },
  profile(profile) {
    return {
      id: profile.sub,
      name: profile.name ?? profile.username ?? null,
      // Kakao often shares no email: null is a normal value here, not an error.
      email: profile.email ?? null,
      image: profile.picture ?? null,
    };
  },
};

/**
 * The kit: discovery cache, refresh with single flight, back-channel logout, federated sign-out, failures
 * explained. With REDIS_URL, refreshes and logouts are shared by every instance (README "Running several instances").
 */
export const logto = createLogtoKit({ provider: logtoProvider, env, redis: createRedisClient(process.env.REDIS_URL) });

/** next-auth options; pass them to `getServerSession` (see lib/server-auth-session.ts). */
export const authOptions: NextAuthOptions = logto.withLogto({
  providers: [logtoProvider],
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt' },
  pages: { signIn: '/auth/sign-in', error: '/auth/error' },
});

export default logto.handler(authOptions);
