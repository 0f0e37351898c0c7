import supertest from 'supertest';

/** One browser with its own cookies, talking to the app under its basePath. */
export interface Browser {
  /** A GET to `path` under the app's base (e.g. `/api/auth/csrf`) or to an absolute URL, carrying this browser's cookies. */
  get(path: string): supertest.Test;
  /** A POST to `path` under the app's base or to an absolute URL, carrying this browser's cookies. */
  post(path: string): supertest.Test;
  /** The cookies this browser holds, by name. */
  readonly cookies: Map<string, string>;
}

/**
 * A cookie-keeping client for one app. Unlike supertest's agent it also sends `Secure` (`__Secure-`, `__Host-`)
 * cookies over the test's plain http, as a browser would behind a TLS-terminating proxy.
 */
export function createBrowser(baseUrl: string): Browser {
  const cookies = new Map<string, string>();
  const remember = (response: { headers: Record<string, unknown> }) => {
    for (const line of ([] as string[]).concat((response.headers['set-cookie'] as string[] | undefined) ?? [])) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((attribute) => /^max-age=(0|-\d+)$/i.test(attribute)) || value === '';
      if (expired) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  const send = (test: supertest.Test): supertest.Test => {
    // set() returns the request itself, which sends only once awaited.
    if (cookies.size > 0) void test.set('Cookie', Array.from(cookies).map(([name, value]) => `${name}=${value}`).join('; '));
    return test.on('response', remember);
  };
  const client = supertest(baseUrl);
  const at = (path: string) => {
    if (!/^https?:/.test(path)) return { agent: client, path };
    const url = new URL(path);
    return { agent: supertest(url.origin), path: `${url.pathname}${url.search}` };
  };
  return {
    get: (path) => {
      const target = at(path);
      return send(target.agent.get(target.path));
    },
    post: (path) => {
      const target = at(path);
      return send(target.agent.post(target.path));
    },
    cookies,
  };
}
