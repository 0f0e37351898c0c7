import { entriesBetween, formatEntries, parseChangelog } from '../../scripts/kit/changelog';

const TEXT = `# Changelog

## [Unreleased]

### Fixed
- Pending.

## [1.2.0] - 2026-03-01

### Security
- Logout tokens without \`sid\` end every session
  of the user, as OIDC Back-Channel Logout §2.6 says.
- Another fix.

### Added
- A feature.

## [1.1.0] - 2026-02-01

### Changed
- A change.

## [1.0.0] - 2026-01-01

### Added
- The kit.
`;

describe('parseChangelog', () => {
  it('splits Unreleased from the released entries, newest first', () => {
    const changelog = parseChangelog(TEXT);

    expect(changelog.unreleased).toBe('### Fixed\n- Pending.');
    expect(changelog.entries.map((entry) => [entry.version, entry.date])).toEqual([
      ['1.2.0', '2026-03-01'],
      ['1.1.0', '2026-02-01'],
      ['1.0.0', '2026-01-01'],
    ]);
  });

  it('lists the Security items of a version, continuation lines joined', () => {
    const [latest, middle] = parseChangelog(TEXT).entries;

    expect(latest.security).toEqual(['Logout tokens without `sid` end every session of the user, as OIDC Back-Channel Logout §2.6 says.', 'Another fix.']);
    expect(middle.security).toEqual([]);
  });
});

describe('entriesBetween', () => {
  it('returns the versions after the app’s up to this one', () => {
    expect(entriesBetween(parseChangelog(TEXT), '1.0.0', '1.2.0').map((entry) => entry.version)).toEqual(['1.2.0', '1.1.0']);
    expect(entriesBetween(parseChangelog(TEXT), '1.2.0', '1.2.0')).toEqual([]);
  });
});

describe('formatEntries', () => {
  it('flags the security fixes above the entries', () => {
    const text = formatEntries(entriesBetween(parseChangelog(TEXT), '1.0.0', '1.2.0'));

    expect(text.split('\n').slice(0, 3)).toEqual([
      'SECURITY FIXES (2): take this update now.',
      '  ! 1.2.0: Logout tokens without `sid` end every session of the user, as OIDC Back-Channel Logout §2.6 says.',
      '  ! 1.2.0: Another fix.',
    ]);
    expect(text).toContain('## 1.1.0 (2026-02-01)\n### Changed\n- A change.');
  });
});
