/**
 * The English texts of the UI, and the shape every other catalog must have ({@link Messages}):
 * a key missing from es.ts or ko.ts is a type error.
 */
export const en = {
  app: {
    title: 'Logto sign-in on next-auth v4',
    language: 'Language',
  },
  home: {
    signedOut: 'You are signed out.',
    signedOutLocally: 'You are signed out of this app, but Logto could not be reached to end your Logto session.',
    protectedLink: 'Protected page',
  },
  protected: {
    title: 'Protected page',
    intro: 'Only signed-in users see this page.',
    userId: 'Your Logto user id',
    accessTokenValidUntil: 'Access token valid until',
    homeLink: 'Home',
  },
  signIn: {
    title: 'Sign in',
    intro: 'Sign in with your Logto account to continue.',
    backHome: 'Back home',
  },
  buttons: {
    signIn: 'Sign in',
    continueWithKakao: 'Continue with Kakao',
    signOut: 'Sign out',
  },
  session: {
    expired: 'Your session has expired.',
    signInAgain: 'Sign in again',
  },
  user: {
    unnamed: 'Unnamed user',
    noEmail: 'No email shared',
  },
  error: {
    title: 'Sign-in problem',
    tryAgain: 'Try again',
    backHome: 'Back home',
    code: 'Error code',
    // next-auth v4's error codes (https://next-auth.js.org/configuration/pages#error-codes) and this app's own.
    messages: {
      Configuration: 'Sign-in is not set up correctly on this server. The server log says what to fix.',
      AccessDenied: 'Your account is not allowed to sign in here.',
      Verification: 'This sign-in link is no longer valid.',
      OAuthSignin: 'We could not start the sign-in with Logto. It may be unreachable right now.',
      OAuthCallback: 'The sign-in did not complete: Logto’s answer could not be verified.',
      Callback: 'The sign-in did not complete because of a problem on our side.',
      OAuthCreateAccount: 'We could not create your account.',
      OAuthAccountNotLinked: 'This account is linked to another sign-in method.',
      SessionRequired: 'Please sign in to see this page.',
      Cancelled: 'The sign-in was cancelled, so you are still signed out.',
      SignOutCsrf: 'Your sign-out request expired. Please try again.',
      Default: 'Something went wrong while signing you in.',
    },
  },
};

/** The shape of a catalog: the same keys as {@link en}, each a non-empty string. */
export type Messages = typeof en;
