import { randomInt } from 'node:crypto';
import { join } from 'node:path';

import { readJson, writeJsonSync } from './data-dir.mjs';
import { DEMO_USERS, KAKAO_USER_ID } from './demo-users.mjs';

/**
 * How the simulated Kakao account signs in (`LOCAL_ISSUER_KAKAO_SIGN_UP`): `linked`, it is the seeded
 * user `kakao-demo`; `username`, it belongs to nobody yet, and its first sign-in creates a user after
 * asking for a username, as Logto does when its sign-up identifier is "Username" and Kakao shared no email.
 */
export const KAKAO_SIGN_UP_MODES = Object.freeze(['linked', 'username']);

/** Logto keeps usernames in a varchar(128) (core-kit's defaultUsernamePolicy). */
const USERNAME_MAX_LENGTH = 128;

// Logto's usernameRegEx (core-kit/src/regex.ts): letters, digits and underscores, not starting with a digit.
const USERNAME_CHARSET = /^\w+$/;

/**
 * Why Logto refuses a username, by its experience phrase key (phrases-experience `error.*`).
 * @typedef {'username_required' | 'username_should_not_start_with_number' | 'username_invalid_charset'
 *   | 'username_too_long' | 'username_exists'} UsernameProblem
 */

/**
 * @typedef {object} UserDirectory
 * @property {'linked' | 'username'} kakaoSignUp
 * @property {(id: string) => import('./demo-users.mjs').DemoUser | undefined} findById
 * @property {(username: string, password: string) => import('./demo-users.mjs').DemoUser | undefined} findByCredentials
 * @property {(target: string, socialUserId: string) => import('./demo-users.mjs').DemoUser | undefined} findBySocialIdentity
 *   The user a social account (e.g. `kakao`, Kakao's user id) is linked to.
 * @property {(username: string) => UsernameProblem | undefined} usernameProblem
 * @property {(input: { username: string, target: string, account: { id: string, name: string | null, avatar: string | null } }) => import('./demo-users.mjs').DemoUser} signUpWithSocial
 *   Creates the user a social sign-in found no one for, with the username it asked for, and keeps it in
 *   `users.json` so later sign-ins (and restarts) find the same `sub`.
 */

/**
 * The issuer's users: the seeded demo users, plus those a social sign-up created (kept in
 * `<dataDir>/users.json`). With `kakaoSignUp: 'username'` the seeded Kakao user is left out, so the
 * Kakao account starts unlinked.
 * @param {{ dataDir: string, kakaoSignUp?: 'linked' | 'username' }} options
 * @returns {UserDirectory}
 */
export function createUserDirectory({ dataDir, kakaoSignUp = 'linked' }) {
  if (!KAKAO_SIGN_UP_MODES.includes(kakaoSignUp)) {
    throw new TypeError(`kakaoSignUp must be one of ${KAKAO_SIGN_UP_MODES.join(', ')}, got ${JSON.stringify(kakaoSignUp)}`);
  }
  const file = join(dataDir, 'users.json');
  /** @type {import('./demo-users.mjs').DemoUser[]} */
  const signedUp = readJson(file) ?? [];
  const seeded = kakaoSignUp === 'username' ? DEMO_USERS.filter((user) => user.id !== KAKAO_USER_ID) : DEMO_USERS;
  const users = () => [...seeded, ...signedUp];

  function usernameProblem(username) {
    if (username === '') return 'username_required';
    if (/^\d/.test(username)) return 'username_should_not_start_with_number';
    if (!USERNAME_CHARSET.test(username)) return 'username_invalid_charset';
    if (username.length > USERNAME_MAX_LENGTH) return 'username_too_long';
    // Logto compares usernames case-sensitively unless the tenant's username policy says otherwise.
    if (users().some((user) => user.username === username)) return 'username_exists';
    return undefined;
  }

  return {
    kakaoSignUp,
    findById: (id) => users().find((user) => user.id === id),
    findByCredentials: (username, password) =>
      users().find((user) => user.password !== null && user.username === username && user.password === password),
    findBySocialIdentity: (target, socialUserId) =>
      users().find((user) => user.identities[target]?.userId === socialUserId),
    usernameProblem,
    signUpWithSocial({ username, target, account }) {
      const problem = usernameProblem(username);
      if (problem) throw new Error(`cannot sign up "${username}": ${problem}`);
      const now = Date.now();
      const user = {
        id: randomUserId(users()),
        username,
        password: null,
        // Logto fills name and avatar from the social profile at sign-up.
        name: account.name,
        avatar: account.avatar,
        primaryEmail: null,
        primaryPhone: null,
        customData: {},
        identities: { [target]: { userId: account.id, details: { ...account } } },
        createdAt: now,
        updatedAt: now,
      };
      signedUp.push(user);
      writeJsonSync(file, signedUp);
      return user;
    },
  };
}

// Logto's user ids: 12 characters of digits and lowercase letters (shared/src/utils/id.ts, generateStandardShortId).
function randomUserId(existing) {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  for (;;) {
    const id = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
    if (!existing.some((user) => user.id === id)) return id;
  }
}
