import { doctorApp } from '../../scripts/kit/doctor-app';
import { createNextApp, createOutput, REPO_ROOT } from './helpers/temp-folders';

describe('doctorApp', () => {
  let app: { dir: string; remove: () => void };
  beforeEach(() => {
    app = createNextApp({
      files: {
        '.env': 'AUTH_LOGTO_ISSUER=https://stale.example.com/oidc\nAUTH_LOGTO_ID=app-id\n',
        '.env.local': 'AUTH_LOGTO_ISSUER=https://tenant.example.com/oidc\nAUTH_LOGTO_SECRET=app-secret\nNEXTAUTH_URL=https://app.example.com\n',
        '.env.production': 'AUTH_LOGTO_ISSUER=https://production.example.com/oidc\n',
      },
    });
  });
  afterEach(() => app.remove());

  it('shows which env files and variables it would check, without a request, in a dry run', async () => {
    const output = createOutput();
    const fetch = jest.fn<Promise<Response>, Parameters<typeof globalThis.fetch>>();

    const code = await doctorApp({ repoRoot: REPO_ROOT, appDir: app.dir, mode: 'development', dryRun: true, processEnv: {}, fetch, ...output });

    expect(code).toBe(0);
    expect(fetch).not.toHaveBeenCalled();
    expect(output.lines).toEqual([
      `Environment of ${app.dir} as Next.js reads it for next dev (--mode development):`,
      '  files, first wins: .env.local, .env',
      '  set: AUTH_LOGTO_ID, AUTH_LOGTO_ISSUER, AUTH_LOGTO_SECRET, NEXTAUTH_URL',
      'Dry run: the doctor would now check these against the tenant.',
    ]);
  });

  it('asks the tenant the app’s env files name (.env.local over .env), and exits 1 when it does not answer', async () => {
    const output = createOutput();
    const urls: string[] = [];
    const fetch = async (input: Parameters<typeof globalThis.fetch>[0]) => {
      urls.push(String(input));
      return new Response('not here', { status: 404 });
    };

    const code = await doctorApp({ repoRoot: REPO_ROOT, appDir: app.dir, mode: 'development', dryRun: false, processEnv: {}, fetch, ...output });

    expect(code).toBe(1);
    expect(urls[0]).toBe('https://tenant.example.com/oidc/.well-known/openid-configuration');
    expect(urls.some((url) => url.includes('stale.example.com'))).toBe(false);
    expect(output.text()).toContain('✗');
  });

  it('reads production’s files with --mode production, and this shell’s variables over the files', async () => {
    const output = createOutput();

    await doctorApp({
      repoRoot: REPO_ROOT,
      appDir: app.dir,
      mode: 'production',
      dryRun: true,
      processEnv: { NEXTAUTH_SECRET: 'from-the-shell-from-the-shell-from-the-shell', HOME: '/root' },
      ...output,
    });

    expect(output.lines[1]).toBe('  files, first wins: .env.local, .env.production, .env');
    expect(output.lines[2]).toBe("  from this shell's environment, over the files: NEXTAUTH_SECRET");
  });
});
