import Link from 'next/link';
import type { LogtoOrganization } from '@/lib/logto';

/** Links to the home page for each of the user's organizations; the chosen one is marked current. */
export function OrganizationSwitcher({ organizations, current }: { organizations: LogtoOrganization[]; current: string | null }) {
  return (
    <nav aria-label="Organizations" data-testid="organization-switcher">
      <span>Organization: </span>
      {organizations.map(({ id, roles }) => (
        <Link key={id} href={`/?org=${encodeURIComponent(id)}`} aria-current={id === current ? 'true' : undefined}>
          {id}
          {roles.length > 0 && ` (${roles.join(', ')})`}
        </Link>
      ))}
    </nav>
  );
}
