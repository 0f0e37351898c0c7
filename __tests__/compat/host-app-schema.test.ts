import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logtoTablesSql } from '@/lib/logto';

// The compat cell next14-db-postgres migrates its databases with the host app's own db/schema.sql, which holds the
// kit's tables as a team's migration would: copied once from logtoTablesSql(). This keeps the copy in step with the kit.
describe('scripts/compat/host-apps/next14-db-postgres/db/schema.sql', () => {
  const schema = readFileSync(join(__dirname, '../../scripts/compat/host-apps/next14-db-postgres/db/schema.sql'), 'utf8');

  it("creates the kit's tables and indexes exactly as logtoTablesSql() gives them", () => {
    const statements = schema.split(';').map((statement) => statement.replace(/--[^\n]*\n/g, '').trim());
    for (const statement of logtoTablesSql()) expect(statements).toContain(statement);
  });
});
