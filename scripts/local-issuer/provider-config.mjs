import { createResourceIndicatorsFeature, extraTokenClaims } from './api-resources.mjs';
import { assertAppAccess } from './app-access-control.mjs';
import { INTERACTION_PATH_PREFIX } from './interaction-routes.mjs';
import { errorPage, logoutPage, signedOutPage } from './interaction-views.mjs';
import { resolveLocale } from './locales.mjs';
import { LOGTO_SCOPE_CLAIMS } from './logto-claims.mjs';

const HOUR = 60 * 60;
const DAY = 24 * HOUR;

/**
 * @typedef {object} ProviderConfigInput
 * @property {import('./issuer-state.mjs').IssuerState} state Keys, cookie keys and the client.
 * @property {(model: string) => object} adapter Storage for sessions, grants and tokens.
 * @property {Function} findAccount Looks up a demo user by `sub`.
 * @property {number} accessTokenTtl Access-token lifetime in seconds.
 * @property {number} refreshTokenTtl Refresh-token lifetime in seconds (Logto: 14 days).
 * @property {string} apiResource Indicator of the demo API resource.
 * @property {Readonly<import('./logto-version.mjs').LogtoBehaviour>} behaviour What the mimicked Logto version does.
 * @property {import('./app-access-control.mjs').AppAccessControl} accessControl Who may use the app (Logto 1.41+).
 */

/**
 * The oidc-provider configuration that makes it answer like a Logto tenant: ES384 ID tokens,
 * code flow with PKCE, Logto's scopes and claims, refresh tokens rotated after 70% of their lifetime,
 * API resources (JWT access tokens), revocation, app-level access control, logout with back-channel
 * logout, and pages that follow `ui_locales`.
 * @param {ProviderConfigInput} input
 * @see https://github.com/panva/node-oidc-provider/blob/main/docs/README.md#configuration-options
 */
export function createProviderConfig({
  state,
  adapter,
  findAccount,
  accessTokenTtl,
  refreshTokenTtl,
  apiResource,
  behaviour,
  accessControl,
}) {
  return {
    adapter,
    findAccount,
    jwks: state.jwks,
    cookies: { keys: state.cookieKeys },
    clients: [
      {
        ...state.client,
        client_name: 'Local Next.js app',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES384',
      },
    ],
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic'],
    enabledJWA: { idTokenSigningAlgValues: ['ES384'] },
    pkce: { required: () => true },

    claims: LOGTO_SCOPE_CLAIMS,
    // Logto puts the standard claims of the granted scopes in the ID token, not only in userinfo.
    conformIdTokenClaims: false,
    // Two of Logto's extra authorization parameters (ExtraParamsKey in @logto/schemas).
    extraParams: ['direct_sign_in', 'organization_id'],
    extraTokenClaims,
    formats: {
      customizers: {
        // Logto's JWT access tokens always carry `scope`, "" when the user's roles grant none;
        // oidc-provider 9 leaves an empty scope out.
        jwt: async (_ctx, token, jwt) => {
          jwt.payload.scope = token.scope ?? '';
        },
      },
    },

    // OIDC Core §11: for offline_access the server "MUST ensure that the prompt parameter contains
    // consent"; oidc-provider drops offline_access from requests without prompt=consent, so only
    // those grants carry the scope this checks for. Logto behaves the same.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    // Logto 1.37 and 1.42 alike (core/src/oidc/defaults.ts, oidc-provider's default): the refresh grant
    // returns the same refresh token until 70% of its lifetime has passed, and only then a new one.
    // Presenting a rotated one again revokes the whole grant (RFC 9700 §4.14.2).
    rotateRefreshToken: rotateRefreshTokenLikeLogto,
    // A grant is found again when the user comes back with a Logto session; since 1.41 Logto refuses it
    // then for a user the app may no longer serve (core/src/oidc/init.ts loadExistingGrant), which
    // redirects to the app's callback with error=access_denied.
    loadExistingGrant: async (ctx) => {
      const { client, provider, result, session } = ctx.oidc;
      const grantId = result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (!grantId) return undefined;
      assertAppAccess(accessControl, session.accountId);
      return provider.Grant.find(grantId);
    },

    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: HOUR,
      Interaction: HOUR,
      RefreshToken: refreshTokenTtl,
      Session: 14 * DAY,
      // Logto's fixed grant lifetime, which caps how long refresh-token rotation can go on.
      Grant: 180 * DAY,
    },

    interactions: {
      url: (_ctx, interaction) => `${INTERACTION_PATH_PREFIX}${interaction.uid}`,
    },
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris.some((uri) => new URL(uri).origin === origin),
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      const locale = resolveLocale(ctx.oidc?.params?.ui_locales);
      ctx.body = errorPage({ locale, error: out.error, description: out.error_description });
    },

    features: {
      devInteractions: { enabled: false },
      // oidc-provider 9 turns DPoP on by default; Logto 1.42 keeps it off, as 1.37 (oidc-provider 8) had it.
      dPoP: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId !== client.clientId) return false;
          if (token.kind !== 'AccessToken' || behaviour.accessTokenRevocationRevokesGrant) return true;
          // Logto 1.37 (oidc-provider 8) revoked the access token alone and left its grant, refresh token
          // included, usable; oidc-provider 9 revokes the grant's tokens once this answers true.
          await token.destroy();
          return false;
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          // RP-Initiated Logout 1.0 §2 lists ui_locales among the end_session parameters.
          ctx.body = logoutPage({ locale: resolveLocale(ctx.oidc.params.ui_locales), form });
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = signedOutPage({ locale: resolveLocale(ctx.oidc.params?.ui_locales) });
        },
      },
      // Logto enables OIDC Back-Channel Logout 1.0; the tokens are Logto's (back-channel-logout.mjs).
      backchannelLogout: { enabled: true },
      resourceIndicators: createResourceIndicatorsFeature({ apiResource, accessTokenTtl }),
    },
  };
}

/** Logto's `rotateRefreshToken` for a client that authenticates (core/src/oidc/defaults.ts). */
function rotateRefreshTokenLikeLogto(ctx) {
  const { RefreshToken: refreshToken } = ctx.oidc.entities;
  // Logto caps rotation at a year of total lifetime; afterwards the token's TTL is final.
  if (refreshToken.totalLifetime() >= 365.25 * DAY) return false;
  // (Public clients, which this issuer does not register, would rotate on every use.)
  return refreshToken.ttlPercentagePassed() >= 70;
}
