/**
 * @typedef {object} SocialIdentity A linked social account, shaped like Logto's `identities` entry.
 * @property {string} userId The user's id at the social provider.
 * @property {Record<string, unknown>} details What the provider shared at sign-in.
 */

/**
 * @typedef {object} DemoUser A seeded user, with the fields of a Logto user record. Roles and
 *   organizations live in demo-tenant.mjs.
 * @property {string} id Subject identifier (`sub`).
 * @property {string | null} username
 * @property {string | null} password Plain text on purpose: it is printed on the sign-in page.
 * @property {string | null} name
 * @property {string | null} avatar Path of an avatar served by the issuer, e.g. `/avatars/alice.svg`.
 * @property {string | null} primaryEmail
 * @property {string | null} primaryPhone
 * @property {Record<string, unknown>} customData
 * @property {Record<string, SocialIdentity>} identities
 * @property {number} createdAt Epoch milliseconds, the unit Logto uses for user timestamps.
 * @property {number} updatedAt Epoch milliseconds.
 */

/** Subject of the demo user that "Kakao" signs in (unless LOCAL_ISSUER_KAKAO_SIGN_UP=username). */
export const KAKAO_USER_ID = 'kakao-demo';

/**
 * The account the simulated Kakao screen signs in with: what Logto's Kakao connector reads from Kakao's
 * user info (id, nickname as name, profile image as avatar) when the user shares no email.
 */
export const KAKAO_ACCOUNT = Object.freeze({ id: '3141592653', name: '카카오 데모', avatar: '/avatars/kakao.svg' });

/**
 * The seeded users: alice (full profile), bob (no name or picture) and a Kakao-linked user.
 * @type {readonly DemoUser[]}
 */
export const DEMO_USERS = Object.freeze([
  {
    id: 'alice-demo',
    username: 'alice',
    password: 'alice-password',
    name: 'Alice Example',
    avatar: '/avatars/alice.svg',
    primaryEmail: 'alice@example.com',
    primaryPhone: null,
    customData: {},
    identities: {},
    createdAt: Date.UTC(2024, 0, 15, 9, 0, 0),
    updatedAt: Date.UTC(2024, 5, 1, 12, 30, 0),
  },
  {
    id: 'bob-demo',
    username: 'bob',
    password: 'bob-password',
    name: null,
    avatar: null,
    primaryEmail: 'bob@example.com',
    primaryPhone: null,
    customData: {},
    identities: {},
    createdAt: Date.UTC(2024, 2, 3, 8, 0, 0),
    updatedAt: Date.UTC(2024, 2, 3, 8, 0, 0),
  },
  {
    // Signed up through Kakao: Logto takes name and avatar from the Kakao profile and leaves
    // username and email empty, as Kakao shares no email unless the app passed its review.
    id: KAKAO_USER_ID,
    username: null,
    password: null,
    name: KAKAO_ACCOUNT.name,
    avatar: KAKAO_ACCOUNT.avatar,
    primaryEmail: null,
    primaryPhone: null,
    customData: {},
    identities: { kakao: { userId: KAKAO_ACCOUNT.id, details: { ...KAKAO_ACCOUNT } } },
    createdAt: Date.UTC(2024, 3, 20, 14, 0, 0),
    updatedAt: Date.UTC(2024, 3, 20, 14, 0, 0),
  },
]);

/** The users that sign in with a password, for the sign-in page and the start-up banner. */
export function passwordUsers() {
  return DEMO_USERS.filter((user) => user.password !== null);
}
