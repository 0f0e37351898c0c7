import type supertest from 'supertest';
import { deriveNextAuthSettings } from '../../lib/logto/next-auth/settings';
import type { Browser } from './helpers/browser';
import { useHostApp } from './helpers/host-app';

// Drop-in: bad input gets a 4xx or the error page, never a 5xx or a stack trace. next-auth v4 alone answers
// several of these with a 500 (core/lib/assert.ts on callback URLs, the empty action of `/api/auth//session`).
describe('your /api/auth/* with hostile input', () => {
  const host = useHostApp();
  const cookieNames = () => deriveNextAuthSettings(host().url, host().route.authOptions).cookies;
  const withCookie = (test: supertest.Test, name: string, value: string) => test.set('Cookie', `${name}=${encodeURIComponent(value)}`);

  it.each<[string, (browser: Browser) => supertest.Test]>([
    ['GET /api/auth/', (browser) => browser.get('/api/auth/')],
    ['GET /api/auth//session', (browser) => browser.get('/api/auth//session')],
    ['GET /api/auth/no-such-action', (browser) => browser.get('/api/auth/no-such-action')],
    ['GET /api/auth/session?callbackUrl=javascript:alert(1)', (browser) => browser.get('/api/auth/session').query({ callbackUrl: 'javascript:alert(1)' })],
    ['GET /api/auth/session?callbackUrl=http://[::1', (browser) => browser.get('/api/auth/session').query({ callbackUrl: 'http://[::1' })],
    ['GET /api/auth/csrf?callbackUrl=data:text/html,x', (browser) => browser.get('/api/auth/csrf').query({ callbackUrl: 'data:text/html,x' })],
    ['GET /api/auth/session?callbackUrl= twice', (browser) => browser.get('/api/auth/session?callbackUrl=%2Fa&callbackUrl=%2Fb')],
    ['GET /api/auth/session with a 10 KB callbackUrl', (browser) => browser.get('/api/auth/session').query({ callbackUrl: `/${'x'.repeat(10 * 1024)}` })],
    ['GET /api/auth/session with the callback-url cookie #', (browser) => withCookie(browser.get('/api/auth/session'), cookieNames().callbackUrl.name, '#')],
    ['GET /api/auth/session with the callback-url cookie http://[::1', (browser) => withCookie(browser.get('/api/auth/session'), cookieNames().callbackUrl.name, 'http://[::1')],
    ['GET /api/auth/csrf with the callback-url cookie javascript:alert(1)', (browser) => withCookie(browser.get('/api/auth/csrf'), cookieNames().callbackUrl.name, 'javascript:alert(1)')],
    ['GET /api/auth/session with a session cookie that is no JWE', (browser) => withCookie(browser.get('/api/auth/session'), cookieNames().sessionToken.name, 'a.b.c.d.e')],
    ['POST /api/auth/signin/logto as JSON with an object as callbackUrl', (browser) => browser.post('/api/auth/signin/logto').send({ callbackUrl: { href: '//evil.example.com' }, json: 'true' })],
    ['POST /api/auth/signin/logto with a 100 KB callbackUrl', (browser) => browser.post('/api/auth/signin/logto').type('form').send({ callbackUrl: `/${'x'.repeat(100 * 1024)}` })],
    ['POST /api/auth/signout with an array as csrfToken', (browser) => browser.post('/api/auth/signout').send({ csrfToken: ['a', 'b'], json: 'true' })],
    ['GET /api/auth/callback/logto with a code and state but no sign-in cookies', (browser) => browser.get('/api/auth/callback/logto?code=x&state=y&iss=z')],
    ['GET /api/auth/callback/logto with an error carrying a newline', (browser) => browser.get('/api/auth/callback/logto').query({ error: 'x\r\n[auth] forged line' })],
    ['GET /api/auth/callback/no-such-provider', (browser) => browser.get('/api/auth/callback/no-such-provider?code=x')],
  ])('answers %s with no 5xx and no stack trace, and logs no line break', async (_case, send) => {
    const response = await send(host().browser());

    expect(response.status).toBeLessThan(500);
    expect(response.text ?? '').not.toMatch(/\n\s+at .+:\d+:\d+/);
    for (const line of host().logs) expect(line).not.toMatch(/[\r\n]/);
  });
});
