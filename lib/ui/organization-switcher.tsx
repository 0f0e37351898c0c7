import Link from 'next/link';
import type { Locale } from '@/lib/i18n/locales';
import { messagesFor } from '@/lib/i18n/messages';
import type { LogtoOrganization } from '@/lib/logto';

/**
 * Links to the home page for each of the user's organizations, by name (`names`, from Logto's userinfo) or by
 * id when a name is unknown; the chosen one is marked current.
 */
export function OrganizationSwitcher({
  organizations,
  names,
  current,
  locale,
}: {
  organizations: LogtoOrganization[];
  names: Record<string, string>;
  current: string | null;
  locale: Locale;
}) {
  const t = messagesFor(locale).organizations;
  return (
    <nav aria-label={t.label} data-testid="organization-switcher">
      <span>{t.current} </span>
      {organizations.map(({ id, roles }) => (
        <Link key={id} href={`/?org=${encodeURIComponent(id)}`} aria-current={id === current ? 'true' : undefined}>
          {names[id] ?? id}
          {roles.length > 0 && ` (${roles.join(', ')})`}
        </Link>
      ))}
    </nav>
  );
}
