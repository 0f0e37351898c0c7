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
    booksLink: 'Books',
  },
  books: {
    title: 'Books',
    empty: 'No books on this shelf.',
    // {author} is replaced; the word order differs by language.
    byAuthor: 'by {author}',
    homeLink: 'Home',
    needsRole: 'Your account needs the reader role to see the books. Ask an admin to assign it in Logto Console → User management → Roles.',
    needsOrganizationRole: 'Your account needs an organization role with the read:books permission in this organization.',
    // Why the books cannot be shown; the server log has the details for whoever runs the app.
    unavailable: {
      not_configured: 'The books API is not set up on this server: set AUTH_LOGTO_RESOURCES.',
      unknown_resource: 'Logto does not issue tokens for the books API to this app. The server log says what to configure.',
      missing_scope: 'This app does not ask Logto for organization tokens. The server log says what to configure.',
      no_refresh_token: 'Your session cannot get tokens for the books API. Sign out and in again; the server log says more.',
      access_denied: 'Logto refused a token for this organization: your account is not a member.',
      app_access_denied: 'Your account may no longer use this app. Ask your administrator to allow it in Logto Console → Applications → this app → Rules.',
      issuer_error: 'Logto could not be reached for a token. Please try again in a moment.',
      database_error: 'The session store did not answer. Please try again in a moment.',
      api_error: 'The books API refused the request. The server log says why.',
    },
  },
  organizations: {
    label: 'Organizations',
    current: 'Organization:',
    booksOf: 'Books of {organization}',
  },
  protected: {
    title: 'Protected page',
    intro: 'Only signed-in users see this page.',
    userId: 'Your Logto user id',
    accessTokenValidUntil: 'Access token valid until',
    homeLink: 'Home',
  },
  publicPage: {
    title: 'Public page',
    intro: 'Anyone can see this page. It is rendered on the server for every request and reads no session.',
    renderedAt: 'Rendered at',
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
      AppAccessDenied:
        'Your account is not allowed to use this app, so you are still signed out. Ask your administrator for access. ' +
        'Administrator: in Logto Console → Applications → this app → Rules, add an allow rule that matches this user (a user, user role, organization or organization role) and save.',
      SignOutCsrf: 'Your sign-out request expired. Please try again.',
      Default: 'Something went wrong while signing you in.',
    },
  },
};

/** The shape of a catalog: the same keys as {@link en}, each a non-empty string. */
export type Messages = typeof en;
