/**
 * The version of this copy of the Logto kit (semver; CHANGELOG.md beside this file says what each one changed).
 * Written by the kit repository's release command: change the kit, not this line.
 */
export const KIT_VERSION = '2.2.1';
