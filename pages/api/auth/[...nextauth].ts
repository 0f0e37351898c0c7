import type { NextApiRequest, NextApiResponse } from 'next';
import NextAuth, { type NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { authLogger as logger } from '@/lib/auth-logger';
import { env } from '@/lib/env';
import { cacheDiscovery } from '@/lib/logto/discovery-cache';
import type { LogtoProfile } from '@/lib/logto/profile';
import { keepAccessTokenFresh } from '@/lib/logto/refresh-access-token';
import { createRefreshSingleFlight } from '@/lib/logto/refresh-single-flight';
import { redirectToAuthError } from '@/lib/redirect-to-auth-error';

/**
 * Logto as a hand-configured OIDC provider, written like next-auth's built-in ones.
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
      scope: 'openid offline_access profile email',
      // Logto issues a refresh token for offline_access only with prompt=consent (OIDC Core §11).
      prompt: 'consent',
    },
  },
  checks: ['pkce', 'state', 'nonce'],
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

/** The Logto provider with discovery and JWKS cached per process: one issuer request per callback. */
export const logto = cacheDiscovery(logtoProvider, {
  callbackUrl: `${env.NEXTAUTH_URL}/api/auth/callback/logto`,
  logger,
});

const refreshContext = { getClient: logto.getClient, singleFlight: createRefreshSingleFlight(), logger };

/** next-auth options; pass them to `getServerSession` (see lib/server-auth-session.ts). */
export const authOptions: NextAuthOptions = {
  providers: [logtoProvider],
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt' },
  pages: { signIn: '/auth/sign-in', error: '/auth/error' },
  logger,
  callbacks: {
    async jwt({ token, account }) {
      if (account) {
        return {
          ...token,
          sub: account.providerAccountId,
          accessToken: account.access_token,
          expiresAt: account.expires_at,
          refreshToken: account.refresh_token,
          idToken: account.id_token,
        };
      }
      return keepAccessTokenFresh(token, refreshContext);
    },
    async session({ session, token }) {
      session.user.id = token.sub!;
      // next-auth v4 turns the mapper's null email into undefined (`profile.email?.toLowerCase()`), which
      // JSON then drops; a Kakao user without an email gets an explicit null, as the mapper returned it.
      session.user.email = token.email ?? null;
      session.accessTokenExpiresAt = token.expiresAt;
      if (token.error) session.error = token.error;
      return session;
    },
  },
};

// Only these actions talk to Logto; the others (session, csrf, signout…) never wait for discovery.
const OAUTH_ACTIONS = new Set(['signin', 'callback']);

/** The next-auth route, with the Logto provider's discovery served from the per-process cache. */
export default async function auth(req: NextApiRequest, res: NextApiResponse) {
  const [action, providerId] = ([] as string[]).concat(req.query.nextauth ?? []);
  if (action === 'error') {
    // next-auth v4 forwards OAuthSignin/OAuthCallback/Callback errors from here to the sign-in page, which
    // shows nothing; send every error to `pages.error`, which tells the user what happened.
    return redirectToAuthError(req, res, typeof req.query.error === 'string' ? req.query.error : 'Default');
  }
  if (action === 'callback' && req.query.error === 'access_denied') {
    // The user cancelled at Logto (RFC 6749 §4.1.2.1); next-auth would report it as a generic `Callback` error.
    logger.warn('LOGTO_SIGN_IN_CANCELLED', { error_description: req.query.error_description });
    return redirectToAuthError(req, res, 'Cancelled');
  }
  if (!OAUTH_ACTIONS.has(action) || providerId !== logtoProvider.id) {
    return NextAuth(req, res, authOptions);
  }
  let provider: OAuthConfig<LogtoProfile>;
  try {
    provider = await logto.resolveProvider();
  } catch (error) {
    logger.error('LOGTO_DISCOVERY_ERROR', error);
    return redirectToAuthError(req, res, action === 'signin' ? 'OAuthSignin' : 'OAuthCallback');
  }
  return NextAuth(req, res, { ...authOptions, providers: [provider] });
}
