import { findForm, parseForms, type HtmlForm } from './html-form';
import type { BrowserResponse, HttpBrowser } from './http-browser';

/** Where a next-auth v4 app answers, as a browser sees it. */
export interface NextAuthApp {
  /** next-auth's routes: NEXTAUTH_URL's origin and path, e.g. `http://127.0.0.1:3000/api/auth` or `…/app/api/auth`. */
  authUrl: string;
  /** Where the user lands after sign-in, sent as `callbackUrl` (the app's home, under its basePath). */
  homeUrl: string;
  /** next-auth provider id; default `logto`. */
  providerId?: string;
  /**
   * The session cookie's name, as `authOptions.cookies.sessionToken` sets it; default next-auth's own,
   * `next-auth.session-token`, `__Secure-` prefixed when `authUrl` is https (next-auth v4's defaultCookies).
   */
  sessionCookie?: string;
}

/** The issuer's endpoints that the flow checks redirects against, from its discovery document. */
export interface IssuerEndpoints {
  issuer: string;
  authorization_endpoint: string;
  end_session_endpoint: string;
}

/** A username and password the issuer's sign-in form accepts. */
export interface PasswordCredentials {
  username: string;
  password: string;
}

/** What {@link signInWithPassword} saw on the way. */
export interface SignInResult {
  /** The authorization request next-auth built. */
  authorizationUrl: URL;
  /** The redirect back to the app, with `code`, `state` and `iss`. */
  callbackUrl: URL;
  /** Where the browser ended up after the callback. */
  landedOn: URL;
  /** `/api/auth/session` afterwards. */
  session: NextAuthSession;
}

/** What {@link signOutFederated} saw on the way. */
export interface SignOutResult {
  /** The URL next-auth's sign-out answered with: the issuer's end_session request. */
  endSessionUrl: URL;
  /** Where the issuer sent the browser after its confirm form. */
  postLogoutRedirect: URL;
  /** `/api/auth/session` afterwards. */
  session: NextAuthSession;
}

/** What {@link signOutLocally} saw: next-auth's own sign-out, with no end_session at the issuer. */
export interface LocalSignOutResult {
  /** The URL next-auth's sign-out answered with: the `callbackUrl`, on the app. */
  redirectUrl: URL;
  /** `/api/auth/session` afterwards. */
  session: NextAuthSession;
}

/** The JSON of next-auth's `/session` route: `{}` when signed out. */
export interface NextAuthSession {
  user?: { name?: string | null; email?: string | null; image?: string | null; id?: string };
  expires?: string;
  error?: string;
  [claim: string]: unknown;
}

/** Reads the issuer's discovery document (`<issuer>/.well-known/openid-configuration`). */
export async function discoverIssuer(browser: HttpBrowser, issuer: string): Promise<IssuerEndpoints> {
  const response = await browser.send(`${issuer}/.well-known/openid-configuration`);
  if (response.status !== 200) throw new Error(`issuer discovery answered ${response.status}`);
  return JSON.parse(response.body) as IssuerEndpoints;
}

/** next-auth's CSRF token (`GET <authUrl>/csrf`), which also sets its CSRF cookie. */
export async function fetchCsrfToken(browser: HttpBrowser, app: NextAuthApp): Promise<string> {
  const response = await browser.send(`${app.authUrl}/csrf`);
  const token = response.status === 200 ? (parseJson(response) as { csrfToken?: string }).csrfToken : undefined;
  if (!token) throw new Error(`GET ${app.authUrl}/csrf answered ${response.status}: ${excerpt(response.body)}`);
  return token;
}

/** `GET <authUrl>/session`. */
export async function readSession(browser: HttpBrowser, app: NextAuthApp): Promise<NextAuthSession> {
  const response = await browser.send(`${app.authUrl}/session`);
  if (response.status !== 200) throw new Error(`GET ${app.authUrl}/session answered ${response.status}`);
  return parseJson(response) as NextAuthSession;
}

/**
 * Asks next-auth to start a sign-in, as `signIn(providerId)` from `next-auth/react` does: POST
 * `<authUrl>/signin/<provider>` with the CSRF token and `json=true`; resolves the authorization URL.
 */
export async function startSignIn(browser: HttpBrowser, app: NextAuthApp, issuer: IssuerEndpoints): Promise<URL> {
  const providerId = app.providerId ?? 'logto';
  const csrfToken = await fetchCsrfToken(browser, app);
  const response = await browser.send(`${app.authUrl}/signin/${providerId}`, {
    form: { csrfToken, callbackUrl: app.homeUrl, json: 'true' },
  });
  const url = response.status === 200 ? (parseJson(response) as { url?: string }).url : undefined;
  if (!url) throw new Error(`POST /signin/${providerId} answered ${response.status}: ${excerpt(response.body)}`);
  const authorizationUrl = new URL(url);
  if (!url.startsWith(`${issuer.authorization_endpoint}?`)) {
    throw new Error(`POST /signin/${providerId} sent the browser to ${url}, not to ${issuer.authorization_endpoint}`);
  }
  return authorizationUrl;
}

/**
 * The whole sign-in over HTTP: csrf → POST /signin/<provider> → the issuer's authorization endpoint →
 * its sign-in form, submitted with `user` → consent when a form asks for it → the app's callback →
 * the home page → `/session`. Throws with the requests made when a step answers unexpectedly.
 */
export async function signInWithPassword(
  browser: HttpBrowser,
  app: NextAuthApp,
  issuer: IssuerEndpoints,
  user: PasswordCredentials,
): Promise<SignInResult> {
  return withHistory(browser, 'sign-in', async () => {
    const authorizationUrl = await startSignIn(browser, app, issuer);
    const callbackPath = new URL(`${app.authUrl}/callback/${app.providerId ?? 'logto'}`).pathname;
    const isCallback = (next: URL) => next.pathname === callbackPath;

    let step = await browser.follow(authorizationUrl, {}, isCallback);
    if (step.stoppedAt) throw new Error('the issuer redirected back without asking who signs in (a session was still open)');
    const loginForm = findForm(step.response.body, step.response.url, isLoginForm, 'username and password form');
    step = await browser.follow(loginForm.action, { form: { ...loginForm.fields, ...user } }, isCallback);
    // A consent screen, where the issuer shows one (the local issuer grants consent by itself, as Logto does
    // for first-party apps): submit it as a user who agrees.
    for (let screens = 0; !step.stoppedAt && screens < 3; screens++) {
      const form = consentForm(step.response);
      if (!form) break;
      step = await browser.follow(form.action, { form: { ...form.fields, ...form.buttons } }, isCallback);
    }
    if (!step.stoppedAt) {
      throw new Error(`the issuer did not redirect to ${callbackPath}; last page ${step.response.status}: ${excerpt(step.response.body)}`);
    }
    const callbackUrl = step.stoppedAt;
    const error = callbackUrl.searchParams.get('error');
    if (error) throw new Error(`the issuer answered ${error}: ${callbackUrl.searchParams.get('error_description') ?? ''}`);

    const landing = await browser.follow(callbackUrl);
    const landedOn = landing.response.url;
    if (landedOn.searchParams.has('error') || landing.response.status >= 400) {
      throw new Error(`the callback ended on ${landedOn.href} (${landing.response.status}): ${excerpt(landing.response.body)}`);
    }
    return { authorizationUrl, callbackUrl, landedOn, session: await readSession(browser, app) };
  });
}

/** The name of the app's session cookie: the configured one, else next-auth's default for its scheme. */
export function sessionCookieName(app: NextAuthApp): string {
  if (app.sessionCookie) return app.sessionCookie;
  return new URL(app.authUrl).protocol === 'https:' ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
}

/**
 * The session cookie the browser holds for the app: the cookie by its name, or its chunks (`<name>.0`,
 * `<name>.1`, … when the JWE outgrows 4 KB), joined in order; undefined when there is none.
 */
export function readSessionCookie(browser: HttpBrowser, app: NextAuthApp): string | undefined {
  const name = sessionCookieName(app);
  const cookies = browser.jar.matching(new URL(app.authUrl));
  const whole = cookies.find((cookie) => cookie.name === name);
  if (whole) return whole.value;
  const chunks = cookies
    .filter((cookie) => new RegExp(`^${escapeRegExp(name)}\\.\\d+$`).test(cookie.name))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length > 0 ? chunks.map((cookie) => cookie.value).join('') : undefined;
}

/** next-auth v4's largest cookie value before it splits a session token into chunks (core/lib/cookie.ts, CHUNK_SIZE). */
const SESSION_CHUNK_SIZE = 4096 - 163;

/**
 * Replaces the browser's session cookie (whole or chunks) with `value`, keeping its attributes, split into
 * `<name>.0`, `<name>.1`, … as next-auth v4 splits one longer than {@link SESSION_CHUNK_SIZE}. Throws when the
 * browser holds no session cookie.
 */
export function replaceSessionCookie(browser: HttpBrowser, app: NextAuthApp, value: string): void {
  const name = sessionCookieName(app);
  const held = browser.jar
    .matching(new URL(app.authUrl))
    .filter((cookie) => cookie.name === name || new RegExp(`^${escapeRegExp(name)}\\.\\d+$`).test(cookie.name));
  const [model] = held;
  if (!model) throw new Error(`the browser holds no session cookie named ${name}`);
  for (const cookie of held) browser.jar.remove(cookie);
  const chunks = value.length <= SESSION_CHUNK_SIZE ? [value] : value.match(new RegExp(`.{1,${SESSION_CHUNK_SIZE}}`, 'g')) ?? [];
  chunks.forEach((chunk, index) => browser.jar.put({ ...model, name: chunks.length === 1 ? name : `${name}.${index}`, value: chunk }));
}

/** Names of the session cookies (whole or chunks) the browser still sends to the app. */
export function leftoverSessionCookies(browser: HttpBrowser, app: NextAuthApp): string[] {
  const name = sessionCookieName(app);
  return browser.jar
    .matching(new URL(app.authUrl))
    .map((cookie) => cookie.name)
    .filter((cookieName) => cookieName === name || new RegExp(`^${escapeRegExp(name)}\\.\\d+$`).test(cookieName));
}

/**
 * Signs in with a Credentials provider as `signIn(providerId, { ...credentials })` from `next-auth/react`
 * does: csrf → POST `<authUrl>/callback/<provider>` with the fields and `json=true`; next-auth answers
 * 200 with `{ url }` (the callbackUrl, or its error page with `error=`). Then reads `/session`.
 */
export async function signInWithCredentials(
  browser: HttpBrowser,
  app: NextAuthApp,
  providerId: string,
  credentials: Record<string, string>,
): Promise<NextAuthSession> {
  return withHistory(browser, `sign-in with ${providerId}`, async () => {
    const csrfToken = await fetchCsrfToken(browser, app);
    const response = await browser.send(`${app.authUrl}/callback/${providerId}`, {
      form: { ...credentials, csrfToken, callbackUrl: app.homeUrl, json: 'true' },
    });
    const url = response.status === 200 ? (parseJson(response) as { url?: string }).url : undefined;
    if (!url) throw new Error(`POST /callback/${providerId} answered ${response.status}: ${excerpt(response.body)}`);
    const error = new URL(url).searchParams.get('error');
    if (error) throw new Error(`POST /callback/${providerId} refused the credentials: ${url}`);
    return readSession(browser, app);
  });
}

/**
 * Signs out as `signOut()` does and expects next-auth's own sign-out, as for a session of another provider:
 * the answer is the app's `callbackUrl`, not the issuer's end_session; the browser goes there.
 */
export async function signOutLocally(
  browser: HttpBrowser,
  app: NextAuthApp,
  issuer: IssuerEndpoints,
): Promise<LocalSignOutResult> {
  return withHistory(browser, 'local sign-out', async () => {
    const redirectUrl = await postSignOut(browser, app);
    if (redirectUrl.href.startsWith(issuer.end_session_endpoint)) {
      throw new Error(`POST /signout sent a session that did not sign in with Logto to the issuer's end_session: ${redirectUrl.href}`);
    }
    const landing = await browser.follow(redirectUrl);
    if (landing.response.status >= 400) {
      throw new Error(`the page after sign-out ${landing.response.url.href} answered ${landing.response.status}`);
    }
    return { redirectUrl, session: await readSession(browser, app) };
  });
}

/** POST `<authUrl>/signout` as `signOut({ callbackUrl: home })` sends it (CSRF token, `json=true`); the URL it answers. */
async function postSignOut(browser: HttpBrowser, app: NextAuthApp): Promise<URL> {
  const csrfToken = await fetchCsrfToken(browser, app);
  const response = await browser.send(`${app.authUrl}/signout`, {
    form: { csrfToken, callbackUrl: app.homeUrl, json: 'true' },
  });
  const url = response.status === 200 ? (parseJson(response) as { url?: string }).url : undefined;
  if (!url) throw new Error(`POST /signout answered ${response.status}: ${excerpt(response.body)}`);
  return new URL(url, app.homeUrl);
}

/**
 * Signs out as `signOut()` from `next-auth/react` does (POST `<authUrl>/signout` with the CSRF token
 * and `json=true`), then follows the URL it answers with through the issuer's end_session confirm form
 * to the post-logout redirect, and reads `/session`.
 */
export async function signOutFederated(
  browser: HttpBrowser,
  app: NextAuthApp,
  issuer: IssuerEndpoints,
): Promise<SignOutResult> {
  return withHistory(browser, 'sign-out', async () => {
    const endSessionUrl = await postSignOut(browser, app);
    if (!endSessionUrl.href.startsWith(`${issuer.end_session_endpoint}?`)) {
      throw new Error(`POST /signout answered ${endSessionUrl.href}, not the issuer's end_session_endpoint ${issuer.end_session_endpoint}`);
    }

    const issuerOrigin = new URL(issuer.issuer).origin;
    const leavesIssuer = (next: URL) => next.origin !== issuerOrigin;
    let step = await browser.follow(endSessionUrl, {}, leavesIssuer);
    if (!step.stoppedAt) {
      // oidc-provider's and Logto's confirm form submits itself by script; a browser without scripts clicks it.
      const form = findForm(step.response.body, step.response.url, (f) => f.method === 'post', 'sign-out confirm form');
      step = await browser.follow(form.action, { form: { ...form.fields, ...form.buttons } }, leavesIssuer);
    }
    if (!step.stoppedAt) {
      throw new Error(`end_session did not redirect back to the app; last page ${step.response.status}: ${excerpt(step.response.body)}`);
    }
    const postLogoutRedirect = step.stoppedAt;
    const landing = await browser.follow(postLogoutRedirect);
    if (landing.response.status >= 400) {
      throw new Error(`the post-logout page ${landing.response.url.href} answered ${landing.response.status}`);
    }
    return { endSessionUrl, postLogoutRedirect, session: await readSession(browser, app) };
  });
}

/**
 * Whether the issuer still knows the browser: starts a new sign-in and reports `login-form` when the
 * issuer asks for credentials, `signed-in` when it redirects straight back to the app's callback.
 */
export async function probeIssuerSession(
  browser: HttpBrowser,
  app: NextAuthApp,
  issuer: IssuerEndpoints,
): Promise<'login-form' | 'signed-in'> {
  return withHistory(browser, 'issuer session probe', async () => {
    const authorizationUrl = await startSignIn(browser, app, issuer);
    const callbackPath = new URL(`${app.authUrl}/callback/${app.providerId ?? 'logto'}`).pathname;
    const step = await browser.follow(authorizationUrl, {}, (next) => next.pathname === callbackPath);
    if (step.stoppedAt) return 'signed-in';
    if (parseForms(step.response.body, step.response.url).some(isLoginForm)) return 'login-form';
    throw new Error(`a new authorization request ended on ${step.response.url.href} (${step.response.status}) with neither a sign-in form nor a redirect`);
  });
}

function isLoginForm(form: HtmlForm): boolean {
  return form.method === 'post' && 'username' in form.fields && 'password' in form.fields;
}

function consentForm(response: BrowserResponse): HtmlForm | undefined {
  if (response.status !== 200) return undefined;
  return parseForms(response.body, response.url).find(
    (form) => form.method === 'post' && !isLoginForm(form) && /consent|confirm/i.test(form.action.pathname + JSON.stringify(form.buttons)),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseJson(response: BrowserResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    throw new Error(`${response.url.href} answered ${response.status} with no JSON: ${excerpt(response.body)}`);
  }
}

function excerpt(body: string): string {
  const text = body.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/gi, '').replace(/<[^>]+>/g, ' ');
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

async function withHistory<T>(browser: HttpBrowser, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${what}: ${message}\nrequests:\n${browser.recentHistory()}`, { cause: error });
  }
}
