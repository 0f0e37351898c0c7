import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDoctorEnv } from '../../scripts/doctor/doctor-env';

describe('resolveDoctorEnv', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'doctor-env-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeDevEnv = (values: Record<string, string>) => {
    mkdirSync(join(root, '.local-issuer'));
    writeFileSync(join(root, '.local-issuer', 'dev-app-env.json'), JSON.stringify(values));
  };

  it('reads .env.local under the environment, which wins', () => {
    writeFileSync(join(root, '.env.local'), 'AUTH_LOGTO_ISSUER=https://file.example.com/oidc\nAUTH_LOGTO_ID=from-file\n');
    const { env, notes, localIssuer } = resolveDoctorEnv(root, { AUTH_LOGTO_ID: 'from-env' });
    expect(env.AUTH_LOGTO_ISSUER).toBe('https://file.example.com/oidc');
    expect(localIssuer).toBe(false);
    expect(env.AUTH_LOGTO_ID).toBe('from-env');
    expect(notes).toEqual(['Read .env.local; variables set in the environment win over it.']);
  });

  it('uses the values npm run dev gave the app when no issuer is set', () => {
    writeDevEnv({ AUTH_LOGTO_ISSUER: 'http://localhost:3001/oidc', AUTH_LOGTO_ID: 'dev-client', NEXTAUTH_URL: 'http://localhost:3000' });
    const { env, notes, localIssuer } = resolveDoctorEnv(root, { AUTH_LOGTO_ISSUER: '', NODE_ENV: 'development' });
    expect(localIssuer).toBe(true);
    expect(env).toMatchObject({ AUTH_LOGTO_ISSUER: 'http://localhost:3001/oidc', AUTH_LOGTO_ID: 'dev-client', NODE_ENV: 'development' });
    expect(notes[0]).toMatch(/^AUTH_LOGTO_ISSUER is not set: checking the local issuer of `npm run dev`/);
  });

  it('ignores the dev values when an issuer is set', () => {
    writeDevEnv({ AUTH_LOGTO_ISSUER: 'http://localhost:3001/oidc' });
    const { env, localIssuer } = resolveDoctorEnv(root, { AUTH_LOGTO_ISSUER: 'https://tenant.example.com/oidc' });
    expect(env.AUTH_LOGTO_ISSUER).toBe('https://tenant.example.com/oidc');
    expect(localIssuer).toBe(false);
  });

  it('says what to do when there is neither an issuer nor a dev run', () => {
    const { env, notes } = resolveDoctorEnv(root, {});
    expect(env.AUTH_LOGTO_ISSUER).toBeUndefined();
    expect(notes[0]).toMatch(/set your tenant in \.env\.local, or start `npm run dev`/);
  });
});
