import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KitCliError } from './kit-cli-error';

/** One side of a three-way merge: its content and the label its conflict marker shows. */
export interface MergeSide {
  content: Buffer;
  label: string;
}

/** A merged file: conflicts are marked `<<<<<<< ours`, `=======`, `>>>>>>> theirs`, as git marks them. */
export interface MergeResult {
  content: Buffer;
  conflicts: number;
}

/**
 * Merges the changes from `base` to `ours` and from `base` to `theirs` with `git merge-file`, git's own
 * merge of one file, so conflicts look exactly like a `git merge`'s.
 */
export function mergeThreeWay(ours: MergeSide, base: MergeSide, theirs: MergeSide): MergeResult {
  const dir = mkdtempSync(join(tmpdir(), 'logto-kit-merge-'));
  try {
    const files = [ours, base, theirs].map((side, index) => {
      const file = join(dir, String(index));
      writeFileSync(file, side.content);
      return file;
    });
    const result = spawnSync('git', ['merge-file', '-p', '-L', ours.label, '-L', base.label, '-L', theirs.label, ...files], {
      maxBuffer: 64 * 1024 * 1024,
    });
    // git merge-file exits with the number of conflicts (capped at 127), or a negative value (255) on error.
    if (result.error || result.status === null || result.status > 127) {
      throw new KitCliError(
        `git merge-file could not merge ${ours.label} (${result.error?.message ?? result.stderr.toString().trim()})`,
        'install git; the kit CLI merges your edits with git’s own merge',
      );
    }
    return { content: result.stdout, conflicts: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
