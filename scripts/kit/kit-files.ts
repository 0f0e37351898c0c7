import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readKitManifest } from '../compat/kit-manifest';
import type { KitLanguage } from './app-record';
import { buildKitJs, transpileWithJsDoc } from './build-kit-js';
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
  const paths = Object.keys(hashWorkingKit(repoRoot).files);
  return inLanguage(repoRoot, new Map(paths.map((path) => [path, readFileSync(join(repoRoot, path))])), language);
}

/** A recorded version's kit and drop-in tests, read back from this clone's git history, in the app's language. */
export function versionKitFiles(repoRoot: string, entry: KitVersion, language: KitLanguage): KitFiles {
  const blobs = readBlobs(repoRoot, Object.values(entry.files).map((file) => file.blob));
  return inLanguage(repoRoot, new Map(Object.entries(entry.files).map(([path, file]) => [path, blobs.get(file.blob)!])), language);
}

/** The route template of this working tree (`version` undefined) or of a recorded version, in the app's language. */
export function routeTemplate(repoRoot: string, templatePath: string, language: KitLanguage, entry?: KitVersion): Buffer | undefined {
  let content: Buffer | undefined;
  if (!entry) content = readFileSync(join(repoRoot, templatePath));
  else if (entry.templates[templatePath]) content = readBlobs(repoRoot, [entry.templates[templatePath].blob]).get(entry.templates[templatePath].blob);
  if (!content || language === 'ts') return content;
  return Buffer.from(transpileWithJsDoc(templatePath, content.toString('utf8')));
}

function inLanguage(repoRoot: string, files: KitFiles, language: KitLanguage): KitFiles {
  return language === 'ts' ? files : buildKitJs(files, readKitManifest(repoRoot).jestConfig);
}

/** A recorded version's entry, by version. */
export function kitVersionEntry(repoRoot: string, version: string): KitVersion | undefined {
  return readKitVersions(repoRoot).versions.find((entry) => entry.version === version);
}
