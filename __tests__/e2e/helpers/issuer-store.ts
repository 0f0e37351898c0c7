import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eStack } from './stack';

/** An entry of the issuer's store.json (scripts/local-issuer/file-adapter.mjs), keyed `<Model>:<id>`. */
export interface StoredEntry {
  payload: Record<string, unknown>;
  /** Epoch milliseconds; null never expires. */
  expiresAt: number | null;
}

/**
 * The issuer's sessions, grants and tokens as last written to its store.json. The issuer writes it
 * a moment after each change, so check it with `eventually()`.
 */
export function readIssuerStore(stack: E2eStack): Record<string, StoredEntry> {
  try {
    return JSON.parse(readFileSync(join(stack.issuerDataDir, 'store.json'), 'utf8')) as Record<string, StoredEntry>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}
