import { createHash, randomBytes } from 'node:crypto';

import type { IssuerProcess } from './issuer-process';

/** The app's callback path, as registered by the issuer for `appUrl`. */
const CALLBACK_PATH = '/api/auth/callback/logto';

/**
 * A minimal cookie jar for one user agent: it keeps the issuer's cookies by name (the issuer
 * runs on one origin, so paths and domains can be ignored) and drops the ones it expires.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes the `Set-Cookie` headers of `response`. */
  store(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key, ...rest] = attribute.trim().split('=');
        const lower = key.toLowerCase();
        return (lower === 'expires' && Date.parse(rest.join('=')) <= Date.now()) || (lower === 'max-age' && Number(rest[0]) <= 0);
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The `Cookie` request header. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** A user agent talking to the issuer: requests carry and update its cookies, redirects are not followed. */
export class Browser {
  readonly jar = new CookieJar();

  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(url, { redirect: 'manual', headers: { ...headers, cookie: this.jar.header() } });
    this.jar.store(response);
    return response;
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.jar.header() },
      body: new URLSearchParams(form),
    });
    this.jar.store(response);
    return response;
  }

  /**
   * Follows redirects from `url` until a page answers (returned with its URL and HTML) or the
   * issuer redirects to the app (returned as `appRedirect`, not requested: no app runs here).
   */
  async follow(url: string, appUrl: string): Promise<{ url: string; status: number; html: string } | { appRedirect: URL }> {
    let current = url;
    for (let hops = 0; hops < 20; hops += 1) {
      const response = await this.get(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: current, status: response.status, html: await response.text() };
      }
      await response.body?.cancel();
      const next = new URL(location, current);
      if (next.origin === new URL(appUrl).origin) return { appRedirect: next };
      current = next.href;
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }
}

/** What the authorization request asks for. */
export interface AuthorizationOptions {
  scope?: string;
  resources?: string[];
  uiLocales?: string;
  /** More authorization parameters, e.g. `direct_sign_in`. */
  extra?: Record<string, string>;
}

/** The token endpoint's answer. */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
  expires_in: number;
  token_type: string;
}

/** Builds an authorization request URL with PKCE (S256) and `prompt=consent`, as the app sends it. */
export function authorizationUrl(issuer: IssuerProcess, appUrl: string, options: AuthorizationOptions = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${issuer.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: issuer.clientId,
    response_type: 'code',
    redirect_uri: `${appUrl}${CALLBACK_PATH}`,
    scope: options.scope ?? 'openid offline_access profile email',
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    prompt: 'consent',
    ...(options.uiLocales && { ui_locales: options.uiLocales }),
    ...options.extra,
  }).toString();
  for (const resource of options.resources ?? []) url.searchParams.append('resource', resource);
  return { url: url.href, verifier };
}

/**
 * Signs `username` in through the issuer's own pages (sign-in form, automatic consent) and
 * exchanges the code, as the app's callback would. Resolves the tokens and the browser, whose
 * cookies hold the issuer session.
 */
export async function signIn(
  issuer: IssuerProcess,
  appUrl: string,
  username: string,
  options: AuthorizationOptions = {},
): Promise<{ tokens: TokenResponse; browser: Browser }> {
  const browser = new Browser();
  const { url, verifier } = authorizationUrl(issuer, appUrl, options);
  const signInPage = await browser.follow(url, appUrl);
  if ('appRedirect' in signInPage) throw new Error(`expected the sign-in page, got a redirect to ${signInPage.appRedirect}`);

  const login = await browser.postForm(`${signInPage.url}/login`, { username, password: `${username}-password` });
  const location = login.headers.get('location');
  if (login.status !== 303 || !location) throw new Error(`sign-in failed (${login.status}): ${await login.text()}`);
  const done = await browser.follow(new URL(location, signInPage.url).href, appUrl);
  if (!('appRedirect' in done)) throw new Error(`expected a redirect to the app, got ${done.status}: ${done.html}`);

  return { tokens: await exchangeCode(issuer, appUrl, done.appRedirect, verifier), browser };
}

/** Exchanges the code of the issuer's redirect to the app's callback for tokens, as the app's callback does. */
export async function exchangeCode(issuer: IssuerProcess, appUrl: string, appRedirect: URL, verifier: string): Promise<TokenResponse> {
  const code = appRedirect.searchParams.get('code');
  if (!code) throw new Error(`the issuer redirected without a code: ${appRedirect}`);
  const response = await tokenRequest(issuer, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${appUrl}${CALLBACK_PATH}`,
    code_verifier: verifier,
  });
  if (response.status !== 200) throw new Error(`code exchange failed (${response.status}): ${JSON.stringify(response.body)}`);
  return response.body as unknown as TokenResponse;
}

/** The app's client credentials as a `client_secret_basic` Authorization header. */
function basicAuthorization(issuer: IssuerProcess): string {
  const credentials = `${encodeURIComponent(issuer.clientId)}:${encodeURIComponent(issuer.clientSecret)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/** POSTs to the token endpoint with the app's client credentials (`client_secret_basic`). */
export async function tokenRequest(
  issuer: IssuerProcess,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${issuer.issuer}/token`, {
    method: 'POST',
    headers: { authorization: basicAuthorization(issuer), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** POSTs a token to the revocation endpoint (RFC 7009) with the app's client credentials; resolves status and body text. */
export async function revoke(issuer: IssuerProcess, token: string, tokenTypeHint?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${issuer.issuer}/token/revocation`, {
    method: 'POST',
    headers: { authorization: basicAuthorization(issuer), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, ...(tokenTypeHint && { token_type_hint: tokenTypeHint }) }),
  });
  return { status: response.status, body: await response.text() };
}

/** GETs the userinfo endpoint with `accessToken`; resolves the status. */
export async function userinfoStatus(issuer: IssuerProcess, accessToken: string): Promise<number> {
  const response = await fetch(`${issuer.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body?.cancel();
  return response.status;
}

/** A refresh grant, optionally for an API resource and/or an organization. */
export function refresh(
  issuer: IssuerProcess,
  refreshToken: string,
  params: { resource?: string; organization_id?: string; scope?: string } = {},
) {
  const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return tokenRequest(issuer, { grant_type: 'refresh_token', refresh_token: refreshToken, ...defined });
}
