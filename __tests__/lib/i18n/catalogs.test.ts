import { LOCALES } from '@/lib/i18n/locales';
import { placeholdersOf } from '@/lib/i18n/fill-in';
import { CATALOGS, isAuthErrorCode, messagesFor } from '@/lib/i18n/messages';

/** Every `path = text` of a catalog, nested keys joined with dots. */
function entries(catalog: object, prefix = ''): [string, unknown][] {
  return Object.entries(catalog).flatMap(([key, value]): [string, unknown][] =>
    typeof value === 'object' && value !== null ? entries(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

describe('message catalogs', () => {
  const english = entries(CATALOGS.en);

  it('has a catalog for every supported language', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual([...LOCALES].sort());
  });

  it.each(LOCALES)('%s has exactly the keys of the English catalog', (locale) => {
    expect(entries(CATALOGS[locale]).map(([key]) => key)).toEqual(english.map(([key]) => key));
  });

  it.each(LOCALES)('%s has a non-empty text for every key', (locale) => {
    const blank = entries(CATALOGS[locale]).filter(([, text]) => typeof text !== 'string' || text.trim() === '');
    expect(blank).toEqual([]);
  });

  it.each(['es', 'ko'] as const)('%s translates every text rather than repeating the English', (locale) => {
    const english = new Map(entries(CATALOGS.en));
    const untranslated = entries(CATALOGS[locale]).filter(([key, text]) => text === english.get(key));
    expect(untranslated).toEqual([]);
  });

  it.each(['es', 'ko'] as const)('%s keeps the {placeholders} of every English text', (locale) => {
    const english = new Map(entries(CATALOGS.en));
    const changed = entries(CATALOGS[locale]).filter(
      ([key, text]) => placeholdersOf(String(text)).join() !== placeholdersOf(String(english.get(key))).join(),
    );
    expect(changed).toEqual([]);
  });

  it('writes every Korean text in Hangul', () => {
    const withoutHangul = entries(CATALOGS.ko).filter(([, text]) => !/[\uAC00-\uD7A3]/.test(String(text)));
    expect(withoutHangul).toEqual([]);
  });
});

describe('messagesFor', () => {
  it('returns the catalog of a supported language', () => {
    expect(messagesFor('ko').buttons.signIn).toBe('로그인');
    expect(messagesFor('es').buttons.signIn).toBe('Iniciar sesión');
  });

  it('falls back to English for anything else', () => {
    expect(messagesFor('fr')).toBe(CATALOGS.en);
    expect(messagesFor(undefined)).toBe(CATALOGS.en);
  });
});

describe('isAuthErrorCode', () => {
  it('accepts the codes the error page explains and nothing inherited or unknown', () => {
    expect(isAuthErrorCode('Cancelled')).toBe(true);
    expect(isAuthErrorCode('OAuthCallback')).toBe(true);
    expect(isAuthErrorCode('toString')).toBe(false);
    expect(isAuthErrorCode('__proto__')).toBe(false);
    expect(isAuthErrorCode(['Cancelled'])).toBe(false);
  });
});
