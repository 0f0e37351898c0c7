import type { NextApiHandler } from 'next';
import NextAuth from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';

/** The id_token claims the guide's profile mapper reads. */
interface GuideProfile {
  sub: string;
  name?: string;
  username?: string;
  email?: string;
  picture?: string;
}

/** What the guide's configuration needs from the environment. */
export interface GuideConfigOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  secret: string;
}

/**
 * The plain configuration from Logto's next-auth guide (wellKnown + ES384, nothing cached) as a next-auth
 * route: next-auth v4 then fetches discovery at every sign-in start and callback, and the JWKS at every callback.
 * @see https://docs.logto.io/quick-starts/next-auth
 */
export function guideAuthHandler({ issuer, clientId, clientSecret, secret }: GuideConfigOptions): NextApiHandler {
  const logto: OAuthConfig<GuideProfile> = {
    id: 'logto',
    name: 'Logto',
    type: 'oauth',
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    authorization: { params: { scope: 'openid offline_access profile email' } },
    checks: ['pkce', 'state'],
    idToken: true,
    clientId,
    clientSecret,
    client: { id_token_signed_response_alg: 'ES384' },
    profile(profile) {
      return {
        id: profile.sub,
        name: profile.name ?? profile.username,
        email: profile.email,
        image: profile.picture,
      };
    },
  };
  return (req, res) => NextAuth(req, res, { providers: [logto], secret });
}
