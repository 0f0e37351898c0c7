import { createAuthLogger, MAX_LOG_DETAIL_LENGTH } from '@/lib/logto/log/logger';
import { setupAuthApp } from '../helpers/setup-auth-app';

// Inputs the fuzzer (__tests__/fuzz) found answered with a 500 or a forged log line, kept as regression tests.
describe('/api/auth/* with input found by the fuzzer', () => {
  const harness = setupAuthApp();

  // next-auth v4 took the empty action for a missing [...nextauth] file: 500 MISSING_NEXTAUTH_API_ROUTE_ERROR.
  it.each(['/api/auth/', '/api/auth//session'])('answers GET %s with 400, not 500', async (path) => {
    const { app } = harness;
    const response = await app.browser().get(path);
    expect(response.status).toBe(400);
    expect(response.text).toBe('Error: This action with HTTP GET is not supported by NextAuth.js');
  });

  // Same-origin but not absolute: next-auth v4's cookie check (core/lib/assert.ts) answered 500.
  it.each(['#', '/protected', 'protected', '?a=1'])(
    'serves /api/auth/session with the callback-url cookie %j and resets the cookie to the home page',
    async (value) => {
      const { app } = harness;
      const response = await app.browser().get('/api/auth/session').set('Cookie', `next-auth.callback-url=${encodeURIComponent(value)}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({});
      const setCookies = ([] as string[]).concat((response.headers['set-cookie'] as unknown as string[]) ?? []);
      expect(setCookies).toContainEqual(expect.stringMatching(`^next-auth.callback-url=${encodeURIComponent(app.url)};`));
      expect(app.logs).toEqual([]);
    },
  );

  it('logs a callback error parameter carrying a newline as one line', async () => {
    const { app } = harness;
    const response = await app.browser().get('/api/auth/callback/logto').query({ error: 'x\r\n[auth] forged line' });
    expect(response.status).toBe(302);
    expect(app.logs.length).toBeGreaterThan(0);
    for (const line of app.logs) expect(line).not.toMatch(/[\r\n]/);
    expect(app.logs).toContainEqual(expect.stringContaining('x\\u000d\\u000a[auth] forged line'));
  });
});

describe('createAuthLogger', () => {
  it('cuts a detail of 100 KB to a bounded line', () => {
    const lines: string[] = [];
    const logger = createAuthLogger({ error: (line) => lines.push(line), warn: (line) => lines.push(line) });
    logger.error('OAUTH_CALLBACK_ERROR', new Error('x'.repeat(100 * 1024)));
    logger.warn('LOGTO_SIGN_IN_CANCELLED', { error_description: 'y'.repeat(100 * 1024) });
    expect(lines[0].length).toBeLessThan(MAX_LOG_DETAIL_LENGTH + 100);
    expect(lines[0]).toMatch(/… \(102400 characters\)$/);
    expect(lines[1].length).toBeLessThan(MAX_LOG_DETAIL_LENGTH + 100);
  });
});
