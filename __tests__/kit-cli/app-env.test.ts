import { readAppEnv } from '../../scripts/kit/app-env';
import { createTempDir, writeFiles } from './helpers/temp-folders';

describe('readAppEnv', () => {
  let app: { dir: string; remove: () => void };
  beforeEach(() => {
    app = createTempDir('kit-env-');
    writeFiles(app.dir, {
      '.env': 'A=env\nB=env\nC=env\nD=env\nHOST=app.example.com\n',
      '.env.local': 'A=local\nB=local\nC=local\n',
      '.env.development': 'A=development\nB=development\nD=development\n',
      '.env.development.local': 'A=development-local\n',
      '.env.production': 'A=production\nURL=https://$HOST/x\nBRACED=${HOST}:443\nLITERAL=\\$HOST\n',
      '.env.test': 'A=test\n',
    });
  });
  afterEach(() => app.remove());

  it('reads development’s files as next dev does, the more specific file winning', () => {
    const { env, files } = readAppEnv(app.dir, 'development', {}, /^$/);

    expect(files).toEqual(['.env.development.local', '.env.local', '.env.development', '.env']);
    expect([env.A, env.B, env.C, env.D]).toEqual(['development-local', 'local', 'local', 'development']);
  });

  it('reads production’s files for next build, with $NAME and ${NAME} expanded and \\$ kept', () => {
    const { env, files } = readAppEnv(app.dir, 'production', {}, /^$/);

    expect(files).toEqual(['.env.local', '.env.production', '.env']);
    expect(env).toMatchObject({ A: 'local', URL: 'https://app.example.com/x', BRACED: 'app.example.com:443', LITERAL: '$HOST' });
  });

  it('leaves .env.local out in test mode, as Next.js does', () => {
    expect(readAppEnv(app.dir, 'test', {}, /^$/)).toMatchObject({ files: ['.env.test', '.env'], env: { A: 'test', B: 'env' } });
  });

  it('lets the process environment win for the watched variables, and says which', () => {
    const { env, fromProcess } = readAppEnv(app.dir, 'development', { A: 'shell', PATH: '/bin' }, /^A$/);

    expect(env.A).toBe('shell');
    expect(env.PATH).toBeUndefined();
    expect(fromProcess).toEqual(['A']);
  });
});
