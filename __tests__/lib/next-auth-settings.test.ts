import type { NextAuthOptions } from 'next-auth';
import { DEFAULT_SESSION_MAX_AGE_SECONDS, deriveNextAuthSettings } from '@/lib/logto/next-auth/settings';

describe('deriveNextAuthSettings', () => {
  it('derives next-auth’s defaults from an http NEXTAUTH_URL: plain cookie names, 30-day maxAge, 24-hour updateAge', () => {
    const settings = deriveNextAuthSettings('http://app.example.com', { providers: [] });
    expect(settings.secure).toBe(false);
    expect(settings.cookies.sessionToken.name).toBe('next-auth.session-token');
    expect(settings.cookies.csrfToken.name).toBe('next-auth.csrf-token');
    expect(settings.cookies.callbackUrl.name).toBe('next-auth.callback-url');
    expect(settings.maxAgeSeconds).toBe(DEFAULT_SESSION_MAX_AGE_SECONDS);
    expect(settings.maxAgeSeconds).toBe(30 * 24 * 60 * 60);
    expect(settings.updateAgeSeconds).toBe(24 * 60 * 60);
    expect(settings.urls).toMatchObject({ origin: 'http://app.example.com', home: 'http://app.example.com', errorPage: 'http://app.example.com/api/auth/error' });
  });

  it('prefixes cookies on https and honours useSecureCookies over the scheme', () => {
    const https = deriveNextAuthSettings('https://app.example.com', { providers: [] });
    expect(https.cookies.sessionToken.name).toBe('__Secure-next-auth.session-token');
    expect(https.cookies.csrfToken.name).toBe('__Host-next-auth.csrf-token');
    expect(https.cookies.sessionToken.options.secure).toBe(true);
    expect(deriveNextAuthSettings('https://app.example.com', { providers: [], useSecureCookies: false }).secure).toBe(false);
  });

  it('takes the app’s own cookies, session lifetimes, basePath and error page', () => {
    const options: NextAuthOptions = {
      providers: [],
      session: { maxAge: 3600, updateAge: 60 },
      cookies: { sessionToken: { name: 'app.session', options: { path: '/app' } } },
      pages: { error: '/auth/error' },
    };
    const settings = deriveNextAuthSettings('https://app.example.com/app/api/auth', options);
    expect(settings.cookies.sessionToken).toEqual({ name: 'app.session', options: { path: '/app' } });
    expect(settings.cookies.csrfToken.name).toBe('__Host-next-auth.csrf-token');
    expect([settings.maxAgeSeconds, settings.updateAgeSeconds]).toEqual([3600, 60]);
    expect(settings.urls.home).toBe('https://app.example.com/app');
    expect(settings.urls.callbackUrl('logto')).toBe('https://app.example.com/app/api/auth/callback/logto');
    expect(settings.urls.errorPage).toBe('https://app.example.com/auth/error');
  });

  it('derives once per options object and NEXTAUTH_URL', () => {
    const options: NextAuthOptions = { providers: [] };
    const first = deriveNextAuthSettings('https://app.example.com', options);
    expect(deriveNextAuthSettings('https://app.example.com', options)).toBe(first);
    expect(deriveNextAuthSettings('http://app.example.com', options)).not.toBe(first);
    expect(deriveNextAuthSettings('https://app.example.com', { providers: [] })).not.toBe(first);
  });

  it('throws for a NEXTAUTH_URL that is no absolute URL', () => {
    expect(() => deriveNextAuthSettings('app.example.com', { providers: [] })).toThrow('Invalid URL');
  });
});
