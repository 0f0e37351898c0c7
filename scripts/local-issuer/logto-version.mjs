/**
 * The Logto releases whose behaviour the issuer can mimic, and what differs between them where an app
 * can tell. oidc-provider 9, which this issuer runs on, already answers like Logto 1.42 (Logto moved to
 * node-oidc-provider v9 in 1.42; 1.37 ran a fork of v8.6): the 1.37 column is what logto-1.37.mjs puts back.
 * @see https://github.com/logto-io/logto/blob/master/packages/core/CHANGELOG.md (1.41.0 and 1.42.0)
 */

/** The versions `LOCAL_ISSUER_LOGTO_VERSION` accepts, oldest first. */
export const LOGTO_VERSIONS = Object.freeze(['1.37', '1.42']);

/** The version the issuer mimics unless told otherwise. */
export const DEFAULT_LOGTO_VERSION = '1.42';

/**
 * @typedef {object} LogtoBehaviour
 * @property {boolean} idTokenTypHeader ID tokens carry the header `typ: "JWT"` (1.37; gone in 1.42).
 * @property {boolean} idTokenAtHash ID tokens from the token endpoint carry `at_hash` (1.37; gone in 1.42).
 * @property {boolean} logoutTokenExp Logout tokens carry `exp = iat + 120` (1.42; 1.37 sent none).
 * @property {boolean} accessTokenRevocationRevokesGrant Revoking an opaque access token (RFC 7009) revokes
 *   every token of its grant, the refresh token included (1.42; 1.37 revoked the access token only).
 * @property {boolean} refusesJwtAccessTokenRevocation Revoking a JWT access token answers 400
 *   `unsupported_token_type` (1.42; 1.37 answered 200 and revoked nothing).
 * @property {boolean} authorizationServerMetadata `<issuer>/.well-known/oauth-authorization-server`
 *   (RFC 8414) serves the discovery document (1.42; 404 in 1.37).
 * @property {boolean} appLevelAccessControl An app can refuse users at sign-in and refresh (since 1.41).
 */

/** @type {Readonly<Record<string, Readonly<LogtoBehaviour>>>} */
const BEHAVIOURS = Object.freeze({
  '1.37': Object.freeze({
    idTokenTypHeader: true,
    idTokenAtHash: true,
    logoutTokenExp: false,
    accessTokenRevocationRevokesGrant: false,
    refusesJwtAccessTokenRevocation: false,
    authorizationServerMetadata: false,
    appLevelAccessControl: false,
  }),
  '1.42': Object.freeze({
    idTokenTypHeader: false,
    idTokenAtHash: false,
    logoutTokenExp: true,
    accessTokenRevocationRevokesGrant: true,
    refusesJwtAccessTokenRevocation: true,
    authorizationServerMetadata: true,
    appLevelAccessControl: true,
  }),
});

/**
 * What Logto `version` does where the two differ; throws for a version not in {@link LOGTO_VERSIONS}.
 * Refresh-token rotation is not here: both rotate a confidential client's refresh token only after 70%
 * of its lifetime (provider-config.mjs).
 * @returns {Readonly<LogtoBehaviour>}
 */
export function behaviourOf(version) {
  const behaviour = BEHAVIOURS[version];
  if (!behaviour) {
    throw new TypeError(`logtoVersion must be one of ${LOGTO_VERSIONS.join(', ')}, got ${JSON.stringify(version)}`);
  }
  return behaviour;
}
