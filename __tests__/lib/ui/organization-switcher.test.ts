import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { OrganizationSwitcher } from '@/lib/ui/organization-switcher';

describe('OrganizationSwitcher', () => {
  const organizations = [
    { id: 'org-acme', roles: ['admin'] },
    { id: 'org-globex', roles: [] },
  ];

  it('shows each organization by name, by id when the name is unknown, and marks the current one', () => {
    const html = renderToStaticMarkup(
      createElement(OrganizationSwitcher, { organizations, names: { 'org-acme': 'Acme' }, current: 'org-acme', locale: 'ko' }),
    );
    expect(html).toContain('aria-label="조직"');
    expect(html).toContain('<a aria-current="true" href="/?org=org-acme">Acme (admin)</a>');
    expect(html).toContain('<a href="/?org=org-globex">org-globex</a>');
  });
});
