import { decode, type JWT } from 'next-auth/jwt';
import type { BrowserContext } from 'playwright-core';
import { deriveNextAuthSettings } from '@/lib/logto/next-auth/settings';
import type { E2eStack } from './stack';

/** The browser's session cookie (joining next-auth's `.0`, `.1`… chunks), or undefined when there is none. */
export async function readSessionCookie(context: BrowserContext, stack: E2eStack): Promise<string | undefined> {
  const { name } = deriveNextAuthSettings(stack.appUrl, { providers: [] }).cookies.sessionToken;
  const chunks = (await context.cookies(stack.appUrl))
    .filter((cookie) => cookie.name === name || cookie.name.startsWith(`${name}.`))
    .sort((a, b) => chunkIndex(a.name) - chunkIndex(b.name));
  return chunks.length > 0 ? chunks.map((cookie) => cookie.value).join('') : undefined;
}

/** The session token inside the browser's cookie (Logto's tokens, server side), decrypted as the app does. */
export async function readSessionToken(context: BrowserContext, stack: E2eStack): Promise<JWT | null> {
  const cookie = await readSessionCookie(context, stack);
  return cookie ? decode({ token: cookie, secret: stack.nextAuthSecret }) : null;
}

function chunkIndex(name: string): number {
  const match = /\.(\d+)$/.exec(name);
  return match ? Number(match[1]) : -1;
}
