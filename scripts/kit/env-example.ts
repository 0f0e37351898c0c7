import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** The variables the kit reads (lib/logto/env.ts and store/redis-client.ts), each with the comment `add` writes above it. */
export const KIT_VARIABLES: readonly { name: string; comment: string }[] = [
  { name: 'AUTH_LOGTO_ISSUER', comment: 'Your Logto endpoint followed by /oidc (Logto Console → Applications → your app → "Issuer endpoint").' },
  { name: 'AUTH_LOGTO_ID', comment: 'The App ID and App secret of your "Traditional web" application in Logto.' },
  { name: 'AUTH_LOGTO_SECRET', comment: '' },
  { name: 'AUTH_LOGTO_ID_TOKEN_ALG', comment: 'Optional: the alg Logto signs ID tokens with (ES384 unless the tenant rotated to RSA keys: RS256).' },
  { name: 'AUTH_LOGTO_RESOURCES', comment: 'Optional: your API resources (comma-separated "API identifier" URIs), sent as `resource` at sign-in.' },
  { name: 'AUTH_LOGTO_SCOPES', comment: 'Optional: scopes besides "openid offline_access profile email", space-separated (e.g. roles).' },
  { name: 'AUTH_LOGTO_API_RESOURCE', comment: 'Optional: the resource this app’s own API serves; one of AUTH_LOGTO_RESOURCES (default: the first).' },
  { name: 'NEXTAUTH_URL', comment: 'Where this app runs (with basePath/api/auth when next.config sets a basePath).' },
  { name: 'NEXTAUTH_SECRET', comment: 'Encrypts the session cookie; at least 32 characters: `openssl rand -base64 32`.' },
  { name: 'REDIS_URL', comment: 'Optional: Redis shared by every instance (redis:// or rediss://); left empty, one process keeps state in memory.' },
];

/**
 * The block `add` appends to the app's .env.example: the kit's variables the file does not name yet, with a
 * header; undefined when it names them all already (a second `add` appends nothing).
 */
export function envExampleAddition(appDir: string, basePath: string): string | undefined {
  const file = join(appDir, '.env.example');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const present = new Set([...Object.keys(parseEnv(existing)), ...[...existing.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1])]);
  const missing = KIT_VARIABLES.filter((variable) => !present.has(variable.name));
  if (missing.length === 0) return undefined;
  const lines = missing.flatMap((variable) => [
    ...(variable.comment ? [`# ${variable.comment}`] : []),
    // An example, never the app's own value: .env.example is committed.
    `${variable.name}=${variable.name === 'NEXTAUTH_URL' ? `http://localhost:3000${basePath ? `${basePath}/api/auth` : ''}` : ''}`,
  ]);
  const separator = existing === '' ? '' : existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  const header = existing === '' ? '# Example environment: holds NO secrets. Copy it to .env.local (git-ignored) and fill it in.\n\n' : '';
  return `${separator}${header}# Sign-in with Logto (lib/logto/README.md); the kit repository's \`npm run kit -- doctor <this app>\` checks them.\n${lines.join('\n')}\n`;
}
