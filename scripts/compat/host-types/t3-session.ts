import type { DefaultSession } from 'next-auth';

// create-t3-app 7.x's own declaration (src/server/auth.ts, a .ts file: skipLibCheck skips .d.ts ones), verbatim: `npm run typecheck:kit-strict` compiles the
// kit next to it, so the kit's augmentation must merge with it rather than declare `session.user` again.
declare module 'next-auth' {
  interface Session extends DefaultSession {
    user: {
      id: string;
      // ...other properties
      // role: UserRole;
    } & DefaultSession['user'];
  }
}
