import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The git-ignored folder at the repository root that keeps the issuer's keys, client and grants. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.local-issuer/', import.meta.url));

// Every file in the data folder holds a secret (private key, client secret, tokens), so the
// folder and its files are readable by the owner only.
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates the data folder (owner-only) when it does not exist yet. */
export function ensureDataDir(dir) {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/** Reads and parses a JSON file; `undefined` when the file does not exist. */
export function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes `value` as JSON through a temporary file and a rename, so readers never see half a file. */
export function writeJsonSync(file, value) {
  const temporary = temporaryPathFor(file);
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: FILE_MODE });
  renameSync(temporary, file);
}

/** Asynchronous {@link writeJsonSync}, for writes on the request path. */
export async function writeJson(file, value) {
  const temporary = temporaryPathFor(file);
  await writeFile(temporary, `${JSON.stringify(value)}\n`, { mode: FILE_MODE });
  await rename(temporary, file);
}

/** Returns the JSON stored in `file`, first writing `create()` there when the file is missing. */
export function readOrCreateJson(file, create) {
  const existing = readJson(file);
  if (existing !== undefined) return existing;
  const created = create();
  writeJsonSync(file, created);
  return created;
}

function temporaryPathFor(file) {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}
