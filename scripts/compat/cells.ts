/** The tsconfig `create-next-app` generated in a given era; `next build` type-checks the kit with it. */
export type TsconfigEra = 'next12' | 'next13' | 'next14' | 'next15';

/**
 * One cell of the compatibility matrix: a legacy Pages Router app scaffolded from the registry with
 * exact versions (`scaffold`), or this repository itself (`this-app`).
 */
export interface CompatCell {
  /** What `--cell` takes, e.g. `next12`. */
  name: string;
  kind: 'scaffold' | 'this-app';
  /** Exact versions of the host app's own packages; kit.json adds the kit's and the tests'. */
  packages: Record<string, string>;
  /** The tsconfig of the Next.js version's era (ignored for `this-app` and JavaScript cells). */
  tsconfig: TsconfigEra;
  /** create-next-app's "src/ directory": pages in src/pages, where `add` then puts the kit and the drop-in suite too. */
  srcDir?: boolean;
  /** `js`: create-next-app's JavaScript template (jsconfig.json, no TypeScript); `add` copies the kit's JavaScript build. */
  language?: 'ts' | 'js';
  /**
   * The Node.js major the app builds, starts and runs its drop-in tests on, from the npm registry's `node` package
   * (e.g. `18`); default the runner's own Node. The local issuer and `npm run kit -- add` keep the runner's.
   */
  node?: string;
  /** `basePath` in next.config.js, e.g. `/app`; none by default. */
  basePath?: string;
  /**
   * The path part of NEXTAUTH_URL, e.g. `/app/api/auth` (next-auth v4's documented way to serve its
   * routes under a sub-path). Empty by default: NEXTAUTH_URL is the bare origin and next-auth uses `/api/auth`.
   */
  nextAuthUrlPath?: string;
  /**
   * Serve the app behind a TLS-terminating proxy: the browser believes it is on `https://127.0.0.1:<proxy>`,
   * the proxy forwards plain HTTP with `x-forwarded-proto: https`, and NEXTAUTH_URL is the https URL.
   */
  behindHttpsProxy?: boolean;
  /** Extra environment for `next build`, `next start` and the drop-in tests. */
  env?: Record<string, string>;
  /** Files written into the scaffold before `npm run kit -- add` (a host app's own pages or config). */
  files?: Record<string, string>;
  /**
   * A folder of scripts/compat/host-apps/ whose files are written over the scaffold before `npm run kit -- add`,
   * paths kept: a host app's own route (its providers, cookies, pages, callbacks, importing the kit) and pages;
   * `add` keeps that route, since it already wires the kit.
   */
  hostApp?: string;
  /**
   * Ids of further OAuth providers in the host app that sign in at the local issuer too, each as its own
   * client (redirect URI `<auth URL>/callback/<id>`); the app gets `COMPAT_<ID>_ISSUER`, `COMPAT_<ID>_ID`
   * and `COMPAT_<ID>_SECRET`.
   */
  extraOAuthProviders?: string[];
  /**
   * The session cookie's name as the host's `authOptions.cookies.sessionToken` sets it; default next-auth's,
   * `next-auth.session-token` (`__Secure-` prefixed on https). Sign-in must set it, sign-out must clear it.
   */
  sessionCookie?: string;
  /** What `/api/auth/session` must also show after a Logto sign-in, e.g. a role the host's callbacks add. */
  logtoSessionClaims?: Record<string, unknown>;
  /** The host app's own custom pages, each checked to answer 200 where `authOptions.pages` sends the browser. */
  pages?: { signIn?: string; error?: string };
  /** The host's other sign-ins, checked after Logto's by the "other providers" step (none: the step shows —). */
  hostProviders?: HostProvider[];
  /**
   * The database the host app keeps its sessions in, started by the runner: PostgreSQL 15 from Debian's package
   * (a throwaway cluster, scripts/compat/cell-database.ts) with the host app's `schema` file (next-auth's tables as
   * its adapter reads them) and the kit's tables applied; the app gets DATABASE_URL, the issuer registers the app's
   * back-channel logout URI, and the sign-in step checks the Account and Session rows instead of a JWT cookie.
   */
  database?: { engine: 'postgres'; schema: string };
  /**
   * `next start` instances of the built app on one database, behind a round-robin load balancer whose URL is
   * NEXTAUTH_URL (default 1). With 2, the "2 instances" and "database outage" steps run (two-instance-steps.ts).
   */
  instances?: 1 | 2;
}

/** A sign-in the host app offers next to `logto`, and what its session must show. */
export interface HostProvider {
  /** next-auth provider id. */
  id: string;
  /**
   * `credentials`: `POST /callback/<id>` with `credentials`, as `signIn(id, { ...credentials })` does.
   * `oauth`: the authorization code flow at the local issuer as alice, with its own client (list the id in
   * `extraOAuthProviders`).
   */
  kind: 'credentials' | 'oauth';
  credentials?: Record<string, string>;
  /** The session's user and the claims the host's callbacks add for this provider. */
  session: { name: string; email: string; claims?: Record<string, unknown> };
}

const NODE_TYPES = '20.19.43';

const NEXT14_REACT18 = {
  next: '14.2.35',
  react: '18.3.1',
  'react-dom': '18.3.1',
  'next-auth': '4.24.15',
  typescript: '5.4.5',
  '@types/react': '18.3.32',
  '@types/react-dom': '18.3.7',
  '@types/node': NODE_TYPES,
};

/** Every cell `npm run test:compat` runs, in order. Versions are exact, picked from the registry. */
export const CELLS: readonly CompatCell[] = [
  {
    name: 'next12',
    kind: 'scaffold',
    tsconfig: 'next12',
    packages: {
      next: '12.3.7',
      react: '17.0.2',
      'react-dom': '17.0.2',
      'next-auth': '4.22.5',
      typescript: '5.4.5',
      '@types/react': '17.0.93',
      '@types/react-dom': '17.0.26',
      '@types/node': NODE_TYPES,
    },
  },
  {
    name: 'next13',
    kind: 'scaffold',
    tsconfig: 'next13',
    packages: {
      next: '13.5.11',
      react: '18.3.1',
      'react-dom': '18.3.1',
      'next-auth': '4.23.2',
      typescript: '5.4.5',
      '@types/react': '18.3.32',
      '@types/react-dom': '18.3.7',
      '@types/node': NODE_TYPES,
    },
  },
  { name: 'next14', kind: 'scaffold', tsconfig: 'next14', packages: NEXT14_REACT18 },
  // Issue 18: create-next-app's src/ directory: add places the kit in src/lib/logto and the suite in src/__tests__.
  { name: 'next14-src', kind: 'scaffold', tsconfig: 'next14', packages: NEXT14_REACT18, srcDir: true },
  // Issue 18: legacy apps pin Node 18; this one builds, starts and runs the drop-in tests on it.
  { name: 'next14-node18', kind: 'scaffold', tsconfig: 'next14', packages: NEXT14_REACT18, node: '18' },
  // Issue 18: a create-next-app 13 JavaScript app; the kit goes in as its JavaScript build (JSDoc types).
  {
    name: 'next13-js',
    kind: 'scaffold',
    language: 'js',
    tsconfig: 'next13',
    packages: { next: '13.5.11', react: '18.3.1', 'react-dom': '18.3.1', 'next-auth': '4.22.5' },
  },
  {
    name: 'next15',
    kind: 'scaffold',
    tsconfig: 'next15',
    packages: {
      next: '15.5.29',
      // 19.1 on purpose: below 19.2, so a kit that used useEffectEvent would fail here.
      react: '19.1.1',
      'react-dom': '19.1.1',
      'next-auth': '4.24.15',
      typescript: '5.9.3',
      '@types/react': '19.1.17',
      '@types/react-dom': '19.1.11',
      '@types/node': NODE_TYPES,
    },
  },
  { name: 'this-app', kind: 'this-app', tsconfig: 'next15', packages: {} },
  // Issue 12: served under a sub-path, NEXTAUTH_URL carrying it, as next-auth v4 documents for basePath.
  {
    name: 'next14-basepath',
    kind: 'scaffold',
    tsconfig: 'next14',
    packages: NEXT14_REACT18,
    basePath: '/app',
    nextAuthUrlPath: '/app/api/auth',
  },
  // Issue 12: a host route with a password sign-in and a second OpenID client next to `logto`, its own
  // jwt/session callbacks adding a role per provider (scripts/compat/host-apps/next14-multi-provider).
  {
    name: 'next14-multi-provider',
    kind: 'scaffold',
    tsconfig: 'next14',
    packages: NEXT14_REACT18,
    hostApp: 'next14-multi-provider',
    extraOAuthProviders: ['acme'],
    logtoSessionClaims: { hostRole: 'member', signedInWith: 'logto' },
    hostProviders: [
      {
        id: 'password',
        kind: 'credentials',
        credentials: { username: 'carol', password: 'carol-password' },
        session: { name: 'Carol Password', email: 'carol@host.example.com', claims: { hostRole: 'staff', signedInWith: 'password' } },
      },
      {
        id: 'acme',
        kind: 'oauth',
        session: { name: 'Alice Example', email: 'alice@example.com', claims: { hostRole: 'partner', signedInWith: 'acme' } },
      },
    ],
  },
  // Issue 12: custom cookie names, useSecureCookies behind a TLS-terminating proxy (x-forwarded-proto: https,
  // NEXTAUTH_URL the proxy's https URL), custom sign-in and error pages (scripts/compat/host-apps/next14-custom-cookies).
  {
    name: 'next14-custom-cookies',
    kind: 'scaffold',
    tsconfig: 'next14',
    packages: NEXT14_REACT18,
    hostApp: 'next14-custom-cookies',
    behindHttpsProxy: true,
    sessionCookie: '__Secure-host.session',
    pages: { signIn: '/login', error: '/oops' },
  },
  // Issue 17: database sessions in PostgreSQL through a non-Prisma adapter (@auth/kysely-adapter) and the kit's SQL
  // store, two `next start` instances on one database behind a load balancer (scripts/compat/host-apps/next14-db-postgres).
  {
    name: 'next14-db-postgres',
    kind: 'scaffold',
    tsconfig: 'next14',
    packages: { ...NEXT14_REACT18, '@auth/kysely-adapter': '1.11.2', kysely: '0.28.19', pg: '8.23.1', '@types/pg': '8.23.1' },
    hostApp: 'next14-db-postgres',
    database: { engine: 'postgres', schema: 'db/schema.sql' },
    instances: 2,
  },
];

/** The cell named `name`; throws listing the names when there is none. */
export function findCell(name: string): CompatCell {
  const cell = CELLS.find((candidate) => candidate.name === name);
  if (!cell) throw new Error(`no cell "${name}"; cells: ${CELLS.map((c) => c.name).join(', ')}`);
  return cell;
}
