import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KitCliError } from './kit-cli-error';

/** A file as git stores it at a commit: its path and its blob id. */
export interface GitTreeEntry {
  path: string;
  blob: string;
}

/** Runs git in `repoRoot` and returns its stdout; throws a {@link KitCliError} naming the command when git fails. */
function git(repoRoot: string, args: string[], input?: Buffer): Buffer {
  const result = spawnSync('git', args, { cwd: repoRoot, input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new KitCliError(`git could not run (${result.error.message})`, 'install git; the kit CLI reads older kit versions from this clone’s history');
  }
  if (result.status !== 0) {
    throw new KitCliError(
      `git ${args.join(' ')} failed in ${repoRoot}: ${result.stderr.toString().trim()}`,
      'run the kit CLI from a full clone of the kit repository (git clone, not a download; after a shallow clone: git fetch --unshallow)',
    );
  }
  return result.stdout;
}

/** The files under `paths` (files or folders) at `commit`, with their blob ids, sorted by path. */
export function listFilesAt(repoRoot: string, commit: string, paths: string[]): GitTreeEntry[] {
  const out = git(repoRoot, ['ls-tree', '-r', '-z', commit, '--', ...paths]).toString('utf8');
  return out
    .split('\0')
    .filter((line) => line !== '')
    .map((line) => {
      const [meta, path] = line.split('\t');
      return { path, blob: meta.split(' ')[2] };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The content of a blob; throws naming the fix when this clone lacks it (a shallow clone). */
export function readBlob(repoRoot: string, blob: string): Buffer {
  return git(repoRoot, ['cat-file', 'blob', blob]);
}

/** The contents of many blobs with one git call, by blob id; throws naming the fix when this clone lacks one. */
export function readBlobs(repoRoot: string, blobs: string[]): Map<string, Buffer> {
  const unique = [...new Set(blobs)];
  const out = git(repoRoot, ['cat-file', '--batch'], Buffer.from(unique.map((blob) => `${blob}\n`).join('')));
  const contents = new Map<string, Buffer>();
  let offset = 0;
  for (const blob of unique) {
    // Each answer is "<id> blob <size>\n<content>\n", or "<id> missing\n".
    const headerEnd = out.indexOf(10, offset);
    const header = out.subarray(offset, headerEnd).toString('utf8').split(' ');
    if (header[1] !== 'blob') {
      throw new KitCliError(
        `this clone lacks git object ${blob}, a file of an older kit version`,
        'run the kit CLI from a full clone of the kit repository (after a shallow clone: git fetch --unshallow)',
      );
    }
    const size = Number(header[2]);
    contents.set(blob, out.subarray(headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
  return contents;
}

/** The blob ids among `blobs` that this clone lacks (one git call for all). */
export function missingBlobs(repoRoot: string, blobs: string[]): string[] {
  const out = git(repoRoot, ['cat-file', '--batch-check'], Buffer.from(blobs.map((blob) => `${blob}\n`).join(''))).toString('utf8');
  return out
    .split('\n')
    .filter((line) => line.endsWith(' missing'))
    .map((line) => line.split(' ')[0]);
}

/** Git's blob ids of `contents` (one git call); with `write`, also stores the blobs, so they can be read back before any commit. */
export function blobIdsOf(repoRoot: string, contents: Buffer[], write: boolean): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'logto-kit-blobs-'));
  try {
    const files = contents.map((content, index) => {
      const file = join(dir, String(index));
      writeFileSync(file, content);
      return file;
    });
    const out = git(repoRoot, ['hash-object', ...(write ? ['-w'] : []), '--stdin-paths'], Buffer.from(files.map((file) => `${file}\n`).join('')));
    return out.toString('utf8').trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The full id and the committer date (YYYY-MM-DD) of `commit`. */
export function describeCommit(repoRoot: string, commit: string): { id: string; date: string } {
  const [id, date] = git(repoRoot, ['show', '-s', '--format=%H %cs', commit]).toString('utf8').trim().split(' ');
  return { id, date };
}
