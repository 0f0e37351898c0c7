/** A demo user of the local issuer, as the app shows it. */
export interface DemoUser {
  /** Logto user id (`sub`). */
  id: string;
  /** Password users only; the Kakao user signs in through the Kakao screen. */
  username?: string;
  password?: string;
  /** What the user card shows as the name. */
  displayName: string;
  /** What the user card shows as the email: the address, or "No email shared". */
  displayEmail: string;
  /** Avatar path on the issuer, or null when the user has none. */
  avatarPath: string | null;
}

// The seeded users of scripts/local-issuer/demo-users.mjs (an ES module jest cannot import).

/** Full profile: name, email and avatar. */
export const ALICE: DemoUser = {
  id: 'alice-demo',
  username: 'alice',
  password: 'alice-password',
  displayName: 'Alice Example',
  displayEmail: 'alice@example.com',
  avatarPath: '/avatars/alice.svg',
};

/** No name or picture: the app falls back to the username. */
export const BOB: DemoUser = {
  id: 'bob-demo',
  username: 'bob',
  password: 'bob-password',
  displayName: 'bob',
  displayEmail: 'bob@example.com',
  avatarPath: null,
};

/** Signed up through Kakao, which shared a nickname and picture but no email. */
export const KAKAO_USER: DemoUser = {
  id: 'kakao-demo',
  displayName: '카카오 데모',
  displayEmail: 'No email shared',
  avatarPath: '/avatars/kakao.svg',
};
