import type { NextApiRequest } from 'next';
import {
  composeRedirect,
  MAX_CALLBACK_URL_LENGTH,
  resolveSameOriginUrl,
  sameOriginRedirect,
  sanitizeCallbackUrls,
} from '@/lib/logto/next-auth/redirect';
import { deriveNextAuthSettings } from '@/lib/logto/next-auth/settings';
import type { AuthLogger } from '@/lib/logto/log/logger';

const BASE = 'http://app.example.com';

describe('sameOriginRedirect', () => {
  it.each([
    ['/', `${BASE}/`],
    ['/protected?tab=1#top', `${BASE}/protected?tab=1#top`],
    ['protected', `${BASE}/protected`],
    [`${BASE}/protected`, `${BASE}/protected`],
    ['HTTP://APP.EXAMPLE.COM:80/a', `${BASE}/a`],
    ['/%2F%2Fevil.example.com', `${BASE}/%2F%2Fevil.example.com`],
    ['%2F%2Fevil.example.com', `${BASE}/%2F%2Fevil.example.com`],
    ['/%5Cevil.example.com', `${BASE}/%5Cevil.example.com`],
    ['/%252F%252Fevil.example.com', `${BASE}/%252F%252Fevil.example.com`],
    // http: without slashes on an http base is a relative path (WHATWG URL "special relative").
    ['http:evil.example.com', `${BASE}/evil.example.com`],
    ['/a b"<x>', `${BASE}/a%20b%22%3Cx%3E`],
    ['/ünï', `${BASE}/%C3%BCn%C3%AF`],
    ['/a\r\nSet-Cookie: x=1', `${BASE}/aSet-Cookie:%20x=1`],
  ])('keeps the same-origin target %j as %s', (url, expected) => {
    expect(sameOriginRedirect({ url, baseUrl: BASE })).toBe(expected);
  });

  it.each([
    'https://evil.example.com/',
    'http://evil.example.com',
    'https://app.example.com/',
    'http://app.example.com:8080/',
    'http://app.example.com.evil.example.com/',
    '//evil.example.com',
    '///evil.example.com',
    '/\\evil.example.com',
    '\\\\evil.example.com',
    '\\/evil.example.com',
    '/\t/evil.example.com',
    '/\n/evil.example.com',
    '\r\n//evil.example.com',
    ' //evil.example.com',
    '\u0000//evil.example.com',
    'http://app.example.com@evil.example.com/',
    'http://app@app.example.com/',
    'http://user:pass@app.example.com/',
    'https:evil.example.com',
    'http://app.example.com:99999/',
    'http://app.example.com:-1/',
    'http://app.example.com:abc/',
    'http://[::1/',
    'http://%zz/',
    'javascript:alert(document.cookie)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'vbscript:msgbox(1)',
    'blob:http://app.example.com/uuid',
    'ftp://app.example.com/',
    `/${'a'.repeat(MAX_CALLBACK_URL_LENGTH)}`,
    `/${'a'.repeat(100 * 1024)}`,
    '',
  ])('sends %j to the home page', (url) => {
    expect(sameOriginRedirect({ url, baseUrl: BASE })).toBe(BASE);
  });

  it.each([[undefined], [null], [42], [['/a', '/b']], [{ href: '/a' }], [true]])('sends the non-string %j home', (url) => {
    expect(sameOriginRedirect({ url, baseUrl: BASE })).toBe(BASE);
  });

  it('accepts a target right at the length limit', () => {
    const url = `/${'a'.repeat(MAX_CALLBACK_URL_LENGTH - 1)}`;
    expect(resolveSameOriginUrl(url, BASE)).toBe(`${BASE}${url}`);
  });
});

describe('composeRedirect', () => {
  it('is the kit redirect alone when the team has none', async () => {
    const redirect = composeRedirect(undefined);
    expect(await redirect({ url: '//evil.example.com', baseUrl: BASE })).toBe(BASE);
  });

  it("hands the team's callback only a sanitized URL", async () => {
    const seen: string[] = [];
    const redirect = composeRedirect(({ url }) => {
      seen.push(url);
      return url;
    });
    await redirect({ url: 'javascript:alert(1)', baseUrl: BASE });
    await redirect({ url: '/dashboard', baseUrl: BASE });
    expect(seen).toEqual([BASE, `${BASE}/dashboard`]);
  });

  it("keeps the team's callback on the origin even when it returns another one", async () => {
    const redirect = composeRedirect(() => 'https://evil.example.com/');
    await expect(redirect({ url: '/', baseUrl: BASE })).resolves.toBe(BASE);
  });

  it("lets the team's callback choose another same-origin page", async () => {
    const redirect = composeRedirect(async () => '/welcome');
    await expect(redirect({ url: '/', baseUrl: BASE })).resolves.toBe(`${BASE}/welcome`);
  });
});

describe('sanitizeCallbackUrls', () => {
  function collectingLogger(): AuthLogger & { warnings: unknown[] } {
    const warnings: unknown[] = [];
    return { warnings, error: () => undefined, warn: (code, metadata) => warnings.push({ code, metadata }) };
  }

  function request(parts: Partial<Pick<NextApiRequest, 'query' | 'body' | 'cookies'>>): NextApiRequest {
    return { query: {}, body: undefined, cookies: {}, ...parts } as NextApiRequest;
  }

  it('makes query, body and cookie values absolute same-origin URLs', () => {
    const logger = collectingLogger();
    const req = request({
      query: { nextauth: ['signin'], callbackUrl: '/a' },
      body: { csrfToken: 't', callbackUrl: '/b' },
      cookies: { 'next-auth.callback-url': `${BASE}/c` },
    });
    sanitizeCallbackUrls(req, { settings: deriveNextAuthSettings(BASE, { providers: [] }), logger });
    expect(req.query).toEqual({ nextauth: ['signin'], callbackUrl: `${BASE}/a` });
    expect(req.body).toEqual({ csrfToken: 't', callbackUrl: `${BASE}/b` });
    expect(req.cookies).toEqual({ 'next-auth.callback-url': `${BASE}/c` });
    expect(logger.warnings).toEqual([]);
  });

  it('replaces off-origin values with the home page, drops such a cookie, and warns once per value', () => {
    const logger = collectingLogger();
    const req = request({
      query: { callbackUrl: ['//evil.example.com', '/'] },
      body: { callbackUrl: 'javascript:alert(1)' },
      cookies: { 'next-auth.callback-url': 'http://[bad', other: 'kept' },
    });
    sanitizeCallbackUrls(req, { settings: deriveNextAuthSettings(BASE, { providers: [] }), logger });
    expect(req.query.callbackUrl).toBe(BASE);
    expect((req.body as { callbackUrl: string }).callbackUrl).toBe(BASE);
    expect(req.cookies).toEqual({ other: 'kept' });
    expect(logger.warnings).toEqual([
      { code: 'LOGTO_REDIRECT_REFUSED', metadata: expect.objectContaining({ source: 'query', callbackUrl: '(array)' }) },
      { code: 'LOGTO_REDIRECT_REFUSED', metadata: expect.objectContaining({ source: 'body', callbackUrl: 'javascript:alert(1)' }) },
      { code: 'LOGTO_REDIRECT_REFUSED', metadata: expect.objectContaining({ source: 'cookie', callbackUrl: 'http://[bad' }) },
    ]);
  });

  it('reads the __Secure- cookie name on an https app', () => {
    const req = request({ cookies: { '__Secure-next-auth.callback-url': 'https://evil.example.com/' } });
    sanitizeCallbackUrls(req, { settings: deriveNextAuthSettings('https://app.example.com', { providers: [] }), logger: collectingLogger() });
    expect(req.cookies).toEqual({});
  });
});
