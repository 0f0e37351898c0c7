import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { chooseLocale, localeFromRequest } from '@/lib/i18n/choose-locale';

describe('chooseLocale', () => {
  it('takes the language the visitor picked in the switcher over the browser’s', () => {
    expect(chooseLocale({ cookie: 'ko', acceptLanguage: 'es-ES,es;q=0.9' })).toBe('ko');
  });

  it('ignores a cookie naming an unsupported language', () => {
    expect(chooseLocale({ cookie: 'fr', acceptLanguage: 'es' })).toBe('es');
    expect(chooseLocale({ cookie: 'KO', acceptLanguage: 'en' })).toBe('en');
  });

  it('takes the first supported language of Accept-Language, region subtags aside', () => {
    expect(chooseLocale({ acceptLanguage: 'ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7' })).toBe('ko');
    expect(chooseLocale({ acceptLanguage: 'es-MX' })).toBe('es');
    expect(chooseLocale({ acceptLanguage: 'fr-CA, fr;q=0.9, es;q=0.5' })).toBe('es');
  });

  it('orders Accept-Language by weight, keeping the header’s order between equal weights', () => {
    expect(chooseLocale({ acceptLanguage: 'en;q=0.3, ko;q=0.8, es;q=0.5' })).toBe('ko');
    expect(chooseLocale({ acceptLanguage: 'es;q=0.5, ko;q=0.5' })).toBe('es');
  });

  it('skips languages the browser marks not acceptable (q=0)', () => {
    expect(chooseLocale({ acceptLanguage: 'ko;q=0, es;q=0.1' })).toBe('es');
  });

  it('matches language tags case-insensitively', () => {
    expect(chooseLocale({ acceptLanguage: 'KO-kr' })).toBe('ko');
  });

  it('falls back to English for a wildcard, unsupported languages, an empty or a malformed header', () => {
    expect(chooseLocale({ acceptLanguage: '*' })).toBe('en');
    expect(chooseLocale({ acceptLanguage: 'de-DE,ja;q=0.8' })).toBe('en');
    expect(chooseLocale({ acceptLanguage: '' })).toBe('en');
    expect(chooseLocale({ acceptLanguage: ';;,q=es,;q=1' })).toBe('en');
    expect(chooseLocale({ acceptLanguage: 'es;q=abc' })).toBe('en');
    expect(chooseLocale({ acceptLanguage: 'es;q=2, ko;q=0.5' })).toBe('ko');
    expect(chooseLocale({})).toBe('en');
  });
});

describe('localeFromRequest', () => {
  function request(headers: Record<string, string>, cookies?: Record<string, string>) {
    const req = new IncomingMessage(new Socket());
    Object.assign(req.headers, headers);
    return Object.assign(req, { cookies });
  }

  it('reads the NEXT_LOCALE cookie, then the Accept-Language header', () => {
    expect(localeFromRequest(request({ 'accept-language': 'ko-KR' }, { NEXT_LOCALE: 'es' }))).toBe('es');
    expect(localeFromRequest(request({ 'accept-language': 'ko-KR' }, {}))).toBe('ko');
    expect(localeFromRequest(request({}))).toBe('en');
  });
});
