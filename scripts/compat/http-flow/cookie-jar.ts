/** One stored cookie, as a browser keeps it (RFC 6265 §5.3). */
export interface StoredCookie {
  name: string;
  value: string;
  /** Host the cookie was set by, or the `Domain` attribute's value (then `hostOnly` is false). */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** Epoch milliseconds; undefined for a session cookie. */
  expiresAt?: number;
}

/**
 * A browser's cookie store, enough for next-auth and oidc-provider: Domain, Path, Secure, Max-Age and
 * Expires. Like a browser, it keys cookies by host, not by port (RFC 6265 §8.5), so an app and an
 * issuer on two ports of 127.0.0.1 share one jar, as they would in a real browser.
 */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Stores the `Set-Cookie` headers of a response to `url`. */
  storeFrom(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) this.store(url, header);
  }

  /** Stores one `Set-Cookie` header received from `url`; an expired cookie deletes its namesake. */
  store(url: URL, header: string): void {
    const [pair, ...attributes] = header.split(';');
    const separator = pair.indexOf('=');
    if (separator <= 0) return;
    const cookie: StoredCookie = {
      name: pair.slice(0, separator).trim(),
      value: pair.slice(separator + 1).trim(),
      domain: url.hostname,
      hostOnly: true,
      path: defaultPath(url),
      secure: false,
      httpOnly: false,
    };
    let maxAgeSeen = false;
    for (const attribute of attributes) {
      const [rawKey, ...rest] = attribute.split('=');
      const key = rawKey.trim().toLowerCase();
      const value = rest.join('=').trim();
      if (key === 'domain' && value) {
        cookie.domain = value.replace(/^\./, '').toLowerCase();
        cookie.hostOnly = false;
      } else if (key === 'path' && value.startsWith('/')) cookie.path = value;
      else if (key === 'secure') cookie.secure = true;
      else if (key === 'httponly') cookie.httpOnly = true;
      else if (key === 'max-age' && /^-?\d+$/.test(value)) {
        // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
        maxAgeSeen = true;
        cookie.expiresAt = Date.now() + Number(value) * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const time = Date.parse(value);
        if (!Number.isNaN(time)) cookie.expiresAt = time;
      }
    }
    this.cookies = this.cookies.filter(
      (other) => !(other.name === cookie.name && other.domain === cookie.domain && other.path === cookie.path),
    );
    if (cookie.expiresAt === undefined || cookie.expiresAt > Date.now()) this.cookies.push(cookie);
  }

  /** The `Cookie` header a browser sends to `url`; undefined when no cookie applies. */
  headerFor(url: URL): string | undefined {
    const matching = this.matching(url);
    return matching.length > 0 ? matching.map(({ name, value }) => `${name}=${value}`).join('; ') : undefined;
  }

  /** The live cookies that a request to `url` carries, longest path first (RFC 6265 §5.4). */
  matching(url: URL): StoredCookie[] {
    const now = Date.now();
    this.cookies = this.cookies.filter((cookie) => cookie.expiresAt === undefined || cookie.expiresAt > now);
    const host = url.hostname.toLowerCase();
    return this.cookies
      .filter((cookie) => (cookie.hostOnly ? host === cookie.domain : host === cookie.domain || host.endsWith(`.${cookie.domain}`)))
      .filter((cookie) => pathMatches(url.pathname, cookie.path))
      .filter((cookie) => !cookie.secure || url.protocol === 'https:')
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** Stores `cookie` as is, replacing its namesake (same name, domain and path), as a script writing it would. */
  put(cookie: StoredCookie): void {
    this.remove(cookie);
    this.cookies.push({ ...cookie });
  }

  /** Removes the cookie with `cookie`'s name, domain and path. */
  remove(cookie: Pick<StoredCookie, 'name' | 'domain' | 'path'>): void {
    this.cookies = this.cookies.filter(
      (other) => !(other.name === cookie.name && other.domain === cookie.domain && other.path === cookie.path),
    );
  }

  /** Every live cookie whose name starts with `prefix`, for assertions on what an app set or cleared. */
  named(prefix: string): StoredCookie[] {
    const now = Date.now();
    return this.cookies.filter(
      (cookie) => cookie.name.startsWith(prefix) && (cookie.expiresAt === undefined || cookie.expiresAt > now),
    );
  }
}

// RFC 6265 §5.1.4: the default path is the request path up to, not including, its last slash.
function defaultPath(url: URL): string {
  const path = url.pathname;
  const lastSlash = path.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : path.slice(0, lastSlash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
