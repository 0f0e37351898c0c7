import semver from 'semver';
import { KitCliError } from './kit-cli-error';

/** Where the kit's changelog lives, relative to the repository root. */
export const CHANGELOG_FILE = 'lib/logto/CHANGELOG.md';

/** One `## [version] - date` section of the changelog. */
export interface ChangelogEntry {
  version: string;
  date?: string;
  /** The section's text below its heading, trimmed. */
  body: string;
  /** The items of its `### Security` subsection, one string each (continuation lines joined). */
  security: string[];
}

/** The changelog split into its `## [Unreleased]` text and its released entries, newest first. */
export interface Changelog {
  unreleased: string;
  entries: ChangelogEntry[];
}

const HEADING = /^## \[([^\]]+)\](?: - (\S+))?\s*$/;

/** Parses a Keep a Changelog file: one `## [x.y.z] - YYYY-MM-DD` heading per version, `## [Unreleased]` on top. */
export function parseChangelog(text: string): Changelog {
  const changelog: Changelog = { unreleased: '', entries: [] };
  let current: { version: string; date?: string; lines: string[] } | undefined;
  const close = () => {
    if (!current) return;
    const body = current.lines.join('\n').trim();
    if (current.version.toLowerCase() === 'unreleased') changelog.unreleased = body;
    else changelog.entries.push({ version: current.version, date: current.date, body, security: securityItems(body) });
  };
  for (const line of text.split('\n')) {
    const heading = HEADING.exec(line);
    if (heading) {
      close();
      current = { version: heading[1], date: heading[2], lines: [] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  close();
  return changelog;
}

function securityItems(body: string): string[] {
  const section = /^### Security\s*$([\s\S]*?)(?=^### |(?![\s\S]))/m.exec(body)?.[1] ?? '';
  return section
    .split(/^- /m)
    .map((item) => item.replace(/\s*\n\s*/g, ' ').trim())
    .filter((item) => item !== '');
}

/** The entries after `from` up to and including `to`, newest first. */
export function entriesBetween(changelog: Changelog, from: string, to: string): ChangelogEntry[] {
  return changelog.entries.filter((entry) => semver.valid(entry.version) && semver.gt(entry.version, from) && semver.lte(entry.version, to));
}

/** The entries as the CLI prints them: each version's section, with its security fixes flagged first. */
export function formatEntries(entries: ChangelogEntry[]): string {
  const fixes = entries.flatMap((entry) => entry.security.map((item) => `  ! ${entry.version}: ${item}`));
  const header = fixes.length > 0 ? [`SECURITY FIXES (${fixes.length}): take this update now.`, ...fixes, ''] : [];
  const sections = entries.map((entry) => `## ${entry.version}${entry.date ? ` (${entry.date})` : ''}\n${entry.body}`);
  return [...header, ...sections].join('\n');
}

/**
 * The changelog with its `## [Unreleased]` text moved under a new `## [version] - date` heading and an empty
 * `## [Unreleased]` left on top; throws when there is nothing under Unreleased to release.
 */
export function promoteUnreleased(text: string, version: string, date: string): string {
  const changelog = parseChangelog(text);
  if (changelog.entries.some((entry) => entry.version === version)) {
    throw new KitCliError(`${CHANGELOG_FILE} already has a section for ${version}`, 'pick the next version number');
  }
  if (changelog.unreleased === '') {
    throw new KitCliError(
      `${CHANGELOG_FILE} has nothing under "## [Unreleased]" to release as ${version}`,
      'describe the change there first (### Added / Changed / Fixed / Removed, and ### Security for a security fix)',
    );
  }
  const start = text.search(/^## \[Unreleased\]\s*$/m);
  const afterHeading = text.indexOf('\n', start) + 1;
  const next = text.slice(afterHeading).search(/^## \[/m);
  const end = next === -1 ? text.length : afterHeading + next;
  return `${text.slice(0, afterHeading)}\n## [${version}] - ${date}\n\n${changelog.unreleased}\n\n${text.slice(end)}`;
}
