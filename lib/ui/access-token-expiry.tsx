import { useEffect, useState } from 'react';
import { formatDateTime, formatTimeUntil } from '../i18n/format';
import type { Locale } from '../i18n/locales';

/** What only the browser knows: its time zone and the current time (epoch seconds). */
interface BrowserClock {
  timeZone: string;
  nowSeconds: number;
}

/**
 * When the access token expires (epoch seconds), formatted for `locale`. The server and the first
 * browser render show it in UTC, so hydration sees the same text; once mounted it switches to the
 * browser's time zone and adds how long is left, updated every 30 s.
 */
export function AccessTokenExpiry({ expiresAt, locale }: { expiresAt: number; locale: Locale }) {
  const [clock, setClock] = useState<BrowserClock | null>(null);
  useEffect(() => {
    const tick = () =>
      setClock({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, nowSeconds: Date.now() / 1000 });
    tick();
    const timer = setInterval(tick, 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      {/* Node's and the browser's ICU may word the same UTC time slightly differently; the effect re-renders it anyway. */}
      <time dateTime={new Date(expiresAt * 1000).toISOString()} data-testid="access-token-expiry" suppressHydrationWarning>
        {formatDateTime(expiresAt, locale, clock?.timeZone ?? 'UTC')}
      </time>
      {clock && <span data-testid="access-token-time-left"> ({formatTimeUntil(expiresAt, clock.nowSeconds, locale)})</span>}
    </>
  );
}
