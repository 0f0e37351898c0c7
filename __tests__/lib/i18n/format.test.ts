import { formatDateTime, formatTimeUntil } from '@/lib/i18n/format';

// 2026-04-05T06:04:00Z, a Sunday: 15:04 in Seoul.
const INSTANT = Date.UTC(2026, 3, 5, 6, 4) / 1000;

describe('formatDateTime', () => {
  it('formats the instant for the language, in the given time zone, naming the zone', () => {
    expect(formatDateTime(INSTANT, 'es', 'UTC')).toMatch(/^5 abr 2026, 6:04 UTC$/);
    expect(formatDateTime(INSTANT, 'ko', 'Asia/Seoul')).toMatch(/^2026년 4월 5일 .*3:04 GMT\+9$/);
    expect(formatDateTime(INSTANT, 'en', 'UTC')).toMatch(/^Apr 5, 2026, 6:04\sAM UTC$/);
  });

  it('gives the same text whatever time zone the process runs in', () => {
    const before = formatDateTime(INSTANT, 'ko', 'UTC');
    const original = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(formatDateTime(INSTANT, 'ko', 'UTC')).toBe(before);
    } finally {
      process.env.TZ = original;
    }
  });
});

describe('formatTimeUntil', () => {
  it('says how long is left in the largest whole unit, in the language', () => {
    expect(formatTimeUntil(INSTANT, INSTANT - 59 * 60 - 10, 'es')).toBe('dentro de 59 minutos');
    expect(formatTimeUntil(INSTANT, INSTANT - 59 * 60, 'ko')).toBe('59분 후');
    expect(formatTimeUntil(INSTANT, INSTANT - 2 * 3600 - 30, 'en')).toBe('in 2 hours');
    expect(formatTimeUntil(INSTANT, INSTANT - 3 * 86_400, 'en')).toBe('in 3 days');
  });

  it('says the past as past and the present as now', () => {
    expect(formatTimeUntil(INSTANT, INSTANT + 120, 'en')).toBe('2 minutes ago');
    expect(formatTimeUntil(INSTANT, INSTANT, 'ko')).toBe('지금');
  });
});
