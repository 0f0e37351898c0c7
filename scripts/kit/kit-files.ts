import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KitLanguage } from './app-record';
import { readBlobs } from './git-objects';
import { KitCliError } from './kit-cli-error';
import { hashWorkingKit, readKitVersions, readWorkingKitVersion, type KitVersion } from './kit-versions';
import { describeUnreleasedChanges } from './release-kit';

/** A kit version's files as an app gets them, kit path → content. */
export type KitFiles = Map<string, Buffer>;

/** This clone's kit version, refusing when its kit has changes no version records (an app could never update from them). */
export function readReleasedWorkingVersion(repoRoot: string): string {
  const version = readWorkingKitVersion(repoRoot);
  const unreleased = describeUnreleasedChanges(repoRoot, version);
  if (unreleased) {
    throw new KitCliError(
      `this clone's kit has changes that no kit version records, so an app could not be updated from them later: ${unreleased.split('. ')[0]}`,
      `run the CLI from a clean clone (git stash), or release the changes: ${unreleased.split('. ').slice(1).join('. ')}`,
    );
  }
  return version;
}

/** The working tree's kit and drop-in tests (templates excluded), in the app's language. */
export function workingKitFiles(repoRoot: string, language: KitLanguage): KitFiles {
  assertLanguage(language);
  const paths = Object.keys(hashWorkingKit(repoRoot).files);
  return new Map(paths.map((path) => [path, readFileSync(join(repoRoot, path))]));
}

/** A recorded version's kit and drop-in tests, read back from this clone's git history, in the app's language. */
export function versionKitFiles(repoRoot: string, entry: KitVersion, language: KitLanguage): KitFiles {
  assertLanguage(language);
  const blobs = readBlobs(repoRoot, Object.values(entry.files).map((file) => file.blob));
  return new Map(Object.entries(entry.files).map(([path, file]) => [path, blobs.get(file.blob)!]));
}

/** A recorded version's entry, by version. */
export function kitVersionEntry(repoRoot: string, version: string): KitVersion | undefined {
  return readKitVersions(repoRoot).versions.find((entry) => entry.version === version);
}

function assertLanguage(language: KitLanguage): void {
  if (language !== 'ts') {
    throw new KitCliError(
      'this app is JavaScript (no tsconfig.json), and this clone has no JavaScript build of the kit yet',
      'add a tsconfig.json to the app (Next.js then compiles the kit’s TypeScript), or take a newer kit repository',
    );
  }
}
