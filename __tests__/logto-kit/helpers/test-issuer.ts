import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWK,
  type JWTPayload,
  type KeyLike,
} from 'jose';

/**
 * A local ES384 OpenID Provider that behaves like a Logto tenant where a relying party can tell:
 * discovery, JWKS, authorization code + PKCE (S256), client_secret_basic, rotating refresh tokens whose
 * reuse revokes the grant, revocation and end_session; API resource and organization tokens (RFC 8707, Logto's
 * `organization_id`) from the roles and organizations in {@link TestIssuer.tenant}. Copy it to test your own next-auth config.
 */

/** The issuer endpoints a test can count requests to. */
export type Endpoint = 'discovery' | 'jwks' | 'authorization' | 'token' | 'userinfo' | 'revocation' | 'end_session';

/** One request the issuer received. */
export interface RecordedRequest {
  endpoint: Endpoint | 'unknown';
  method: string;
  /** For the token endpoint: `authorization_code` or `refresh_token`. */
  grantType?: string;
  params: Record<string, string>;
  /** The `Authorization` header, if any: `Basic …` when the client authenticated with client_secret_basic. */
  authorization?: string;
}

/** Claims of a user the issuer signs in; `sub` is required. */
export type TestUser = { sub: string } & Record<string, unknown>;

/** How the next id_tokens are spoiled, for rejection tests; unset fields keep the honest behaviour. */
export interface IdTokenTampering {
  /** Sign with this alg and a matching key the JWKS does not publish; `HS256` uses the client secret; `none` signs nothing. */
  alg?: 'ES256' | 'RS256' | 'HS256' | 'none';
  /** Sign with an ES384 key that is not in the JWKS (a forged token). */
  foreignKey?: boolean;
  /** Replace (or, with `undefined`, remove) these claims. */
  claims?: Record<string, unknown>;
  /** Put this `kid` in the header instead of the signing key's. */
  kid?: string;
}

/** How {@link TestIssuer.signLogoutToken} departs from an honest Logto logout token, for rejection tests. */
export interface LogoutTokenTampering {
  /** Replace (or, with `undefined`, remove) these claims. */
  claims?: Record<string, unknown>;
  /** The header's `typ` (default `logout+jwt`); `null` leaves it out. */
  typ?: string | null;
  /** Sign with this alg and a key the JWKS does not publish; `HS256` uses the client secret; `none` signs nothing. */
  alg?: 'ES256' | 'RS256' | 'HS256' | 'none';
  /** Sign with an ES384 key that is not in the JWKS (a forged token). */
  foreignKey?: boolean;
  /** Put this `kid` in the header instead of the signing key's. */
  kid?: string;
}

/** Options of {@link startTestIssuer}. */
export interface TestIssuerOptions {
  clientId?: string;
  clientSecret?: string;
  /** The app's callback URL(s), e.g. `http://127.0.0.1:4000/api/auth/callback/logto`. */
  redirectUris?: string[];
  /** Registered post sign-out redirect URIs (Logto answers 400 to others). */
  postLogoutRedirectUris?: string[];
  /** Added to every response, in milliseconds, to model network latency. */
  latencyMs?: number;
  /** Access token lifetime in seconds (Logto: 3600). */
  accessTokenTtl?: number;
}

/** The tenant's authorization data, as Logto Console holds it (API resources, roles, organizations). */
export interface TestTenant {
  /** Registered API resource indicators (Console → API resources). */
  resources: string[];
  /** Global role → the API permissions (scopes) it grants. */
  roles: Record<string, string[]>;
  /** User id (`sub`) → their global role names. */
  userRoles: Record<string, string[]>;
  /** User id → organization id → the user's organization role names there. */
  memberships: Record<string, Record<string, string[]>>;
  /** Organization role → the API permissions it grants in resource tokens requested with `organization_id`. */
  organizationRoles: Record<string, string[]>;
  /** Organization id → its name and description, for userinfo's `organization_data`; a missing one is named by its id. */
  organizationDetails?: Record<string, { name: string; description?: string | null }>;
}

/** Logto's scope for organization tokens and the `organizations` claim. */
export const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';

interface Grant {
  id: string;
  /** The Logto session the grant belongs to: id_tokens carry it as `sid` ("Is session required" on). */
  sid: string;
  user: TestUser;
  scope: string;
  /** The `resource` parameters of the authorization request (RFC 8707). */
  resources: string[];
  revoked: boolean;
  /** When the user signed in (issuer clock, epoch seconds), put in id_tokens as `auth_time` when max_age was asked. */
  authTime?: number;
}

interface PendingCode {
  grant: Grant;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  used: boolean;
}

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

/** A running test issuer. */
export interface TestIssuer {
  /** The issuer identifier, `http://127.0.0.1:<port>/oidc` (no trailing slash, like Logto's). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Every request received since start or the last {@link TestIssuer.resetRequests}. */
  requests: RecordedRequest[];
  /** How many requests hit `endpoint` (and, for the token endpoint, optionally one grant type). */
  count(endpoint: Endpoint, grantType?: string): number;
  resetRequests(): void;
  /** The user the next authorization signs in. */
  user: TestUser;
  /** Spoils the id_tokens issued from now on; `undefined` restores honest tokens. */
  tamper: IdTokenTampering | undefined;
  /** Overrides fields of the discovery document (e.g. another `issuer`). */
  discoveryOverrides: Record<string, unknown>;
  /** When set, the token endpoint answers this status and OAuth error instead of tokens. */
  tokenFailure: { status: number; error: string; description?: string } | undefined;
  /** Whether the authorization endpoint denies (as when the user cancels at Logto). */
  denyAuthorization: boolean;
  /** Seconds added to the issuer's clock (iat/exp of new tokens). */
  clockOffsetSeconds: number;
  /** `expires_in` of the access tokens issued from now on, in seconds. */
  accessTokenTtl: number;
  /** Whether a refresh grant rotates the refresh token; when false it returns none and the old one stays valid. */
  rotateRefreshTokens: boolean;
  /** API resources, roles and organizations; resource and organization tokens are JWTs signed like id_tokens. */
  tenant: TestTenant;
  /** Registered post sign-out redirect URIs; mutable, since the app's URL is known only once it listens. */
  postLogoutRedirectUris: string[];
  latencyMs: number;
  /**
   * Signs `claims` as a Logto JWT access token (ES384, the published key, `typ` at+jwt), or spoiled as told:
   * for resource server tests that need expired, foreign or unsigned tokens.
   */
  mintAccessToken(claims: JWTPayload, spoil?: Pick<IdTokenTampering, 'alg' | 'foreignKey'> & { typ?: string }): Promise<string>;
  /** Publishes a new ES384 signing key (new `kid`) and signs with it from now on; returns the kid. */
  rotateKey(): Promise<string>;
  /** Follows an authorization URL like a browser at Logto would: returns the redirect back to the app. */
  authorize(authorizationUrl: string): Promise<URL>;
  /** The `sid` of the latest authorization, as its id_tokens carry it. */
  lastSid: string | undefined;
  /**
   * Signs a back-channel logout token the way Logto does: ES384 with the published key, `typ: logout+jwt`,
   * iss, aud, iat, jti, the backchannel-logout event and, by default, `sub` of {@link TestIssuer.user} and
   * {@link TestIssuer.lastSid}; no `exp`. `tamper` spoils it for rejection tests.
   */
  signLogoutToken(tamper?: LogoutTokenTampering): Promise<string>;
  /** Refresh tokens that were revoked (by reuse or at the revocation endpoint). */
  revokedGrants(): number;
  /** Stops listening (requests then fail with ECONNREFUSED) until {@link TestIssuer.resume}. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a {@link TestIssuer} on 127.0.0.1 with a random port and fresh keys.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const clientId = options.clientId ?? 'test-client';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  let signingKey = await createSigningKey();
  const publishedKeys: JWK[] = [signingKey.publicJwk];
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, { grant: Grant; rotated: boolean }>();
  const accessTokens = new Map<string, Grant>();
  const sockets = new Set<Socket>();
  let revokedGrantCount = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(error) });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, 0);
  const base = `http://127.0.0.1:${port}`;
  const issuer = `${base}/oidc`;

  const state: TestIssuer = {
    issuer,
    clientId,
    clientSecret,
    requests: [],
    count: (endpoint, grantType) =>
      state.requests.filter((r) => r.endpoint === endpoint && (!grantType || r.grantType === grantType)).length,
    resetRequests: () => {
      state.requests = [];
    },
    user: { sub: 'user-1', name: 'Alice Example', username: 'alice', email: 'alice@example.com', email_verified: true },
    tamper: undefined,
    discoveryOverrides: {},
    tokenFailure: undefined,
    denyAuthorization: false,
    clockOffsetSeconds: 0,
    accessTokenTtl: options.accessTokenTtl ?? 3600,
    rotateRefreshTokens: true,
    tenant: { resources: [], roles: {}, userRoles: {}, memberships: {}, organizationRoles: {} },
    postLogoutRedirectUris: [...(options.postLogoutRedirectUris ?? [])],
    latencyMs: options.latencyMs ?? 0,
    async mintAccessToken(claims, spoil = {}) {
      const typ = spoil.typ ?? 'at+jwt';
      if (spoil.alg === 'none') {
        const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
        return `${encode({ alg: 'none', typ })}.${encode(claims)}.`;
      }
      if (spoil.alg === 'HS256') {
        return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ }).sign(new TextEncoder().encode(clientSecret));
      }
      if (spoil.alg !== undefined || spoil.foreignKey === true) {
        const alg = spoil.alg ?? 'ES384';
        const { privateKey } = await generateKeyPair(alg);
        return new SignJWT(claims).setProtectedHeader({ alg, kid: signingKey.kid, typ }).sign(privateKey);
      }
      return new SignJWT(claims).setProtectedHeader({ alg: 'ES384', kid: signingKey.kid, typ }).sign(signingKey.privateKey);
    },
    async rotateKey() {
      signingKey = await createSigningKey();
      publishedKeys.unshift(signingKey.publicJwk);
      return signingKey.kid;
    },
    async authorize(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) {
        throw new Error(`The issuer refused the authorization request (${response.status}): ${await response.text()}`);
      }
      return new URL(location);
    },
    lastSid: undefined,
    signLogoutToken: (tamper = {}) => signLogoutToken(tamper),
    revokedGrants: () => revokedGrantCount,
    async pause() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of Array.from(sockets)) socket.destroy();
      });
    },
    async resume() {
      await listen(server, port);
    },
    close: () => state.pause(),
  };

  const nowSeconds = () => Math.floor(Date.now() / 1000) + state.clockOffsetSeconds;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
    const params = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(form) };
    // RFC 8707 §2: `resource` may repeat.
    const resources = [...url.searchParams.getAll('resource'), ...form.getAll('resource')];
    const endpoint = endpointOf(url.pathname);
    state.requests.push({
      endpoint,
      method: req.method ?? 'GET',
      grantType: params.grant_type,
      params,
      authorization: req.headers.authorization,
    });
    if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));

    switch (endpoint) {
      case 'discovery':
        return sendJson(res, 200, { ...discovery(), ...state.discoveryOverrides });
      case 'jwks':
        return sendJson(res, 200, { keys: publishedKeys });
      case 'authorization':
        return authorization(params, resources, res);
      case 'token':
        return token(req, params, res);
      case 'userinfo':
        return userinfo(req, res);
      case 'revocation':
        return revocation(req, params, res);
      case 'end_session':
        return endSession(params, res);
      default:
        return sendJson(res, 404, { error: 'not_found' });
    }
  }

  function discovery() {
    return {
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/me`,
      jwks_uri: `${issuer}/jwks`,
      end_session_endpoint: `${issuer}/session/end`,
      revocation_endpoint: `${issuer}/token/revocation`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      scopes_supported: ['openid', 'offline_access', 'profile', 'email'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['ES384'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      authorization_response_iss_parameter_supported: true,
      claims_parameter_supported: false,
      subject_types_supported: ['public'],
    };
  }

  function authorization(params: Record<string, string>, resources: string[], res: ServerResponse) {
    const redirectUri = params.redirect_uri;
    if (params.client_id !== clientId || !redirectUri || !(options.redirectUris ?? [redirectUri]).includes(redirectUri)) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'unknown client_id or redirect_uri' });
    }
    const back = new URL(redirectUri);
    if (params.state) back.searchParams.set('state', params.state);
    back.searchParams.set('iss', issuer);
    if (state.denyAuthorization) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user cancelled the sign-in');
      return redirect(res, back);
    }
    if (params.response_type !== 'code' || params.code_challenge_method !== 'S256' || !params.code_challenge) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'response_type=code with an S256 code_challenge is required');
      return redirect(res, back);
    }
    const unknown = resources.find((resource) => !state.tenant.resources.includes(resource));
    if (unknown) {
      back.searchParams.set('error', 'invalid_target');
      back.searchParams.set('error_description', `resource indicator "${unknown}" is not registered`);
      return redirect(res, back);
    }
    const code = randomBytes(24).toString('base64url');
    const sid = randomUUID();
    state.lastSid = sid;
    codes.set(code, {
      grant: {
        id: randomUUID(),
        sid,
        user: state.user,
        scope: params.scope ?? 'openid',
        resources,
        revoked: false,
        // OIDC Core §3.1.2.1: with max_age, "the ID Token returned MUST include an auth_time Claim Value".
        authTime: params.max_age === undefined ? undefined : nowSeconds(),
      },
      clientId,
      redirectUri,
      codeChallenge: params.code_challenge,
      nonce: params.nonce,
      used: false,
    });
    back.searchParams.set('code', code);
    return redirect(res, back);
  }

  async function token(req: IncomingMessage, params: Record<string, string>, res: ServerResponse) {
    if (!authenticateClient(req, params)) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
    }
    if (state.tokenFailure) {
      const { status, error, description } = state.tokenFailure;
      return sendJson(res, status, { error, ...(description !== undefined && { error_description: description }) });
    }
    if (params.grant_type === 'authorization_code') {
      const pending = codes.get(params.code ?? '');
      if (!pending || pending.used) {
        // RFC 6749 §4.1.2: a code used twice is refused, and the grant it produced revoked.
        if (pending) revokeGrant(pending.grant);
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'code not found or already used' });
      }
      pending.used = true;
      if (pending.redirectUri !== params.redirect_uri) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
      }
      const challenge = createHash('sha256').update(params.code_verifier ?? '').digest('base64url');
      if (challenge !== pending.codeChallenge) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      }
      return sendJson(res, 200, await issueTokens(pending.grant, pending.nonce));
    }
    if (params.grant_type === 'refresh_token') {
      const entry = refreshTokens.get(params.refresh_token ?? '');
      if (!entry || entry.grant.revoked) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'refresh token not found or revoked' });
      }
      if (entry.rotated) {
        // Logto (oidc-provider) revokes the whole grant when a rotated refresh token is used again.
        revokeGrant(entry.grant);
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'refresh token reused; grant revoked' });
      }
      const target = { resource: params.resource, organizationId: params.organization_id };
      const refusal = refuseTarget(entry.grant, target);
      if (refusal) return sendJson(res, refusal.status, refusal.body);
      entry.rotated = state.rotateRefreshTokens;
      return sendJson(res, 200, await issueTokens(entry.grant, undefined, state.rotateRefreshTokens, target));
    }
    return sendJson(res, 400, { error: 'unsupported_grant_type' });
  }

  /** Logto's refusals of a refresh grant with `resource` / `organization_id`, checked before the token rotates. */
  function refuseTarget(grant: Grant, { resource, organizationId }: TokenTarget) {
    if (resource && !grant.resources.includes(resource)) {
      // Logto: the resource must have been named in the authorization request.
      return { status: 400, body: { error: 'invalid_target', error_description: 'resource indicator is missing, or unknown' } };
    }
    if (organizationId === undefined) return undefined;
    if (!state.tenant.memberships[grant.user.sub]?.[organizationId]) {
      return { status: 403, body: { error: 'access_denied', error_description: 'user is not a member of the organization' } };
    }
    if (!grant.scope.split(' ').includes(ORGANIZATIONS_SCOPE)) {
      return { status: 403, body: { error: 'insufficient_scope', error_description: 'refresh token missing required scope' } };
    }
    return undefined;
  }

  async function issueTokens(grant: Grant, nonce?: string, withRefreshToken = true, target: TokenTarget = {}) {
    const jwtAccessToken = target.resource !== undefined || target.organizationId !== undefined;
    const accessToken = jwtAccessToken ? await signAccessToken(grant, target) : randomBytes(24).toString('base64url');
    if (!jwtAccessToken) accessTokens.set(accessToken, grant);
    const tokens: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: state.accessTokenTtl,
      scope: jwtAccessToken ? decodeScope(accessToken) : grant.scope,
      id_token: await signIdToken(grant, nonce),
    };
    if (withRefreshToken && grant.scope.split(' ').includes('offline_access')) {
      const refreshToken = randomBytes(24).toString('base64url');
      refreshTokens.set(refreshToken, { grant, rotated: false });
      tokens.refresh_token = refreshToken;
    }
    return tokens;
  }

  async function signIdToken(grant: Grant, nonce?: string): Promise<string> {
    const now = nowSeconds();
    const claims: JWTPayload = { ...grant.user, ...authorizationClaims(grant), sid: grant.sid, iss: issuer, aud: clientId, iat: now, exp: now + 3600 };
    if (nonce) claims.nonce = nonce;
    if (grant.authTime !== undefined) claims.auth_time = grant.authTime;
    return signJwt(claims, 'JWT', state.tamper ?? {});
  }

  function signLogoutToken(tamper: LogoutTokenTampering): Promise<string> {
    // Logto's logout tokens (Back-Channel Logout 1.0 §2.4) carry no `exp`.
    const claims: JWTPayload = {
      iss: issuer,
      aud: clientId,
      iat: nowSeconds(),
      jti: randomUUID(),
      sub: state.user.sub,
      ...(state.lastSid && { sid: state.lastSid }),
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    };
    return signJwt(claims, tamper.typ === undefined ? 'logout+jwt' : tamper.typ, tamper);
  }

  async function signJwt(payload: JWTPayload, typ: string | null, tamper: IdTokenTampering): Promise<string> {
    const claims = { ...payload };
    for (const [name, value] of Object.entries(tamper.claims ?? {})) {
      if (value === undefined) delete claims[name];
      else claims[name] = value;
    }
    const typed = typ === null ? {} : { typ };
    if (tamper.alg === 'none') {
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      return `${encode({ alg: 'none', ...typed })}.${encode(claims)}.`;
    }
    if (tamper.alg === 'HS256') {
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...typed }).sign(new TextEncoder().encode(clientSecret));
    }
    if (tamper.alg !== undefined || tamper.foreignKey === true) {
      const alg = tamper.alg ?? 'ES384';
      const { privateKey } = await generateKeyPair(alg);
      return new SignJWT(claims)
        .setProtectedHeader({ alg, kid: tamper.kid ?? signingKey.kid, ...typed })
        .sign(privateKey);
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES384', kid: tamper.kid ?? signingKey.kid, ...typed })
      .sign(signingKey.privateKey);
  }

  /** The claims Logto adds for the `roles` and organization scopes (id_token and userinfo). */
  function authorizationClaims(grant: Grant): Record<string, unknown> {
    const scopes = grant.scope.split(' ');
    const memberships = Object.entries(state.tenant.memberships[grant.user.sub] ?? {});
    return {
      ...(scopes.includes('roles') && { roles: state.tenant.userRoles[grant.user.sub] ?? [] }),
      ...(scopes.includes(ORGANIZATIONS_SCOPE) && { organizations: memberships.map(([id]) => id) }),
      ...(scopes.includes('urn:logto:scope:organization_roles') && {
        organization_roles: memberships.flatMap(([id, roles]) => roles.map((role) => `${id}:${role}`)),
      }),
    };
  }

  /**
   * A Logto JWT access token: for an API resource (scope: the permissions of the user's roles, and of their
   * organization roles there with `organization_id`, that the grant asked for), or an organization token.
   */
  async function signAccessToken(grant: Grant, { resource, organizationId }: TokenTarget): Promise<string> {
    const now = nowSeconds();
    const { tenant } = state;
    const sub = grant.user.sub;
    let audience: string;
    let permissions: string[] = [];
    if (resource) {
      audience = resource;
      permissions = (tenant.userRoles[sub] ?? []).flatMap((role) => tenant.roles[role] ?? []);
      if (organizationId) {
        const roles = tenant.memberships[sub]?.[organizationId] ?? [];
        permissions.push(...roles.flatMap((role) => tenant.organizationRoles[role] ?? []));
      }
    } else {
      audience = `urn:logto:organization:${organizationId}`;
    }
    const requested = grant.scope.split(' ');
    const scope = Array.from(new Set(permissions)).filter((permission) => requested.includes(permission)).join(' ');
    const claims: JWTPayload = { iss: issuer, sub, aud: audience, client_id: clientId, scope, jti: randomUUID(), iat: now, exp: now + state.accessTokenTtl };
    if (resource && organizationId) claims.organization_id = organizationId;
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES384', kid: signingKey.kid, typ: 'at+jwt' }).sign(signingKey.privateKey);
  }

  function userinfo(req: IncomingMessage, res: ServerResponse) {
    const grant = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!grant || grant.revoked) return sendJson(res, 401, { error: 'invalid_token' });
    return sendJson(res, 200, { ...grant.user, ...authorizationClaims(grant), ...organizationData(grant) });
  }

  /** Logto's `organization_data` (id, name, description), which it puts in userinfo only, never in id_tokens. */
  function organizationData(grant: Grant): Record<string, unknown> {
    if (!grant.scope.split(' ').includes(ORGANIZATIONS_SCOPE)) return {};
    const { memberships, organizationDetails = {} } = state.tenant;
    return {
      organization_data: Object.keys(memberships[grant.user.sub] ?? {}).map((id) => ({
        id,
        name: organizationDetails[id]?.name ?? id,
        description: organizationDetails[id]?.description ?? null,
      })),
    };
  }

  function revocation(req: IncomingMessage, params: Record<string, string>, res: ServerResponse) {
    if (!authenticateClient(req, params)) return sendJson(res, 401, { error: 'invalid_client' });
    const entry = refreshTokens.get(params.token ?? '');
    if (entry) revokeGrant(entry.grant);
    // RFC 7009 §2.2: the server responds 200 whether or not the token was valid.
    res.writeHead(200).end();
  }

  function endSession(params: Record<string, string>, res: ServerResponse) {
    const target = params.post_logout_redirect_uri;
    if (!target) return sendHtml(res, 200, '<p>Signed out.</p>');
    if (!state.postLogoutRedirectUris.includes(target)) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'post_logout_redirect_uri not registered' });
    }
    if (!params.id_token_hint && params.client_id !== clientId) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'id_token_hint or client_id required' });
    }
    return redirect(res, new URL(target));
  }

  function authenticateClient(req: IncomingMessage, params: Record<string, string>): boolean {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(header.slice(6), 'base64').toString().split(':').map(decodeURIComponent);
      return id === clientId && secret === clientSecret;
    }
    return params.client_id === clientId && params.client_secret === clientSecret;
  }

  function revokeGrant(grant: Grant) {
    if (!grant.revoked) revokedGrantCount += 1;
    grant.revoked = true;
  }

  return state;
}

/** What a refresh grant asks for besides the userinfo token. */
interface TokenTarget {
  resource?: string;
  organizationId?: string;
}

function decodeScope(jwt: string): string {
  return String((JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { scope?: string }).scope ?? '');
}

function endpointOf(pathname: string): Endpoint | 'unknown' {
  const routes: Record<string, Endpoint> = {
    '/oidc/.well-known/openid-configuration': 'discovery',
    '/oidc/jwks': 'jwks',
    '/oidc/auth': 'authorization',
    '/oidc/token': 'token',
    '/oidc/me': 'userinfo',
    '/oidc/token/revocation': 'revocation',
    '/oidc/session/end': 'end_session',
  };
  return routes[pathname] ?? 'unknown';
}

async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const kid = randomBytes(8).toString('hex');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' } };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'text/html' }).end(body);
}

function redirect(res: ServerResponse, location: URL) {
  res.writeHead(302, { location: location.toString() }).end();
}
