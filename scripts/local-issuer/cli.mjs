#!/usr/bin/env node
// Starts the local development issuer on its own: `node scripts/local-issuer/cli.mjs`.
// `npm run dev` starts it together with Next.js; see scripts/dev.mjs.
import { join, relative } from 'node:path';

import { readIssuerEnv } from './env.mjs';
import { DEFAULT_DATA_DIR, passwordUsers, startLocalIssuer } from './index.mjs';

try {
  const issuer = await startLocalIssuer(readIssuerEnv());

  const users = passwordUsers().map((user) => `${user.username} / ${user.password}`).join(', ');
  const clientFile = relative(process.cwd(), join(DEFAULT_DATA_DIR, 'client.json'));
  console.info(
    `Local development issuer at ${issuer.issuer}, behaving like Logto ${issuer.logtoVersion} ` +
      `(client id ${issuer.clientId}, secret in ${clientFile}) — demo users: ${users}`,
  );
  console.info(
    `API resource ${issuer.apiResource}; back-channel logout to ${issuer.backchannelLogoutUri ?? '(none)'}; ` +
      `end a user's sessions with: curl -X POST '${issuer.url}/admin/sessions/end?sub=alice-demo'`,
  );

  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => issuer.close().then(() => process.exit(0)));
  }
} catch (error) {
  console.error(`Could not start the local development issuer: ${error.message}`);
  process.exit(1);
}
