import { LogtoEnvError as EnvError, readLogtoEnv as parseEnv, type LogtoEnv as Env } from '@/lib/logto/env';

/** A complete environment, as a filled-in .env.local would give it. */
const valid = {
  AUTH_LOGTO_ISSUER: 'https://tenant.logto.example.com/oidc',
  AUTH_LOGTO_ID: 'fixture-app-id',
  AUTH_LOGTO_SECRET: 'fixture-app-secret',
  NEXTAUTH_URL: 'https://app.example.com',
  NEXTAUTH_SECRET: 'fixture-secret-fixture-secret-fixture-secret',
} satisfies Record<string, string>;

/** The message parseEnv throws for `source`; fails the test when it does not throw an EnvError. */
function envErrorFor(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).message;
  }
  throw new Error('parseEnv accepted an invalid environment');
}

describe('readLogtoEnv', () => {
  it('returns the validated environment with ES384 as the default id_token alg', () => {
    expect(parseEnv(valid)).toEqual<Env>({
      ...valid,
      AUTH_LOGTO_ID_TOKEN_ALG: 'ES384',
      AUTH_LOGTO_RESOURCES: [],
      AUTH_LOGTO_SCOPES: [],
    });
  });

  it('treats an empty AUTH_LOGTO_ID_TOKEN_ALG as unset and defaults to ES384', () => {
    expect(parseEnv({ ...valid, AUTH_LOGTO_ID_TOKEN_ALG: '' }).AUTH_LOGTO_ID_TOKEN_ALG).toBe('ES384');
  });

  it('accepts RS256 for a tenant rotated to RSA keys', () => {
    expect(parseEnv({ ...valid, AUTH_LOGTO_ID_TOKEN_ALG: 'RS256' }).AUTH_LOGTO_ID_TOKEN_ALG).toBe('RS256');
  });

  it('drops a trailing slash from NEXTAUTH_URL', () => {
    expect(parseEnv({ ...valid, NEXTAUTH_URL: 'https://app.example.com/' }).NEXTAUTH_URL).toBe('https://app.example.com');
  });

  it.each(Object.keys(valid))('names a missing %s and points to .env.local and .env.example', (name) => {
    const message = envErrorFor({ ...valid, [name]: undefined });
    expect(message).toContain(`  - ${name} is missing`);
    expect(message).toContain('.env.local');
    expect(message).toContain('.env.example');
  });

  it.each(Object.keys(valid))('counts an empty %s as missing', (name) => {
    expect(envErrorFor({ ...valid, [name]: '' })).toContain(`  - ${name} is empty (an empty value counts as missing)`);
  });

  it('names every bad variable in one message', () => {
    const message = envErrorFor({});
    for (const name of Object.keys(valid)) expect(message).toContain(`  - ${name} is missing`);
  });

  it.each(['AUTH_LOGTO_ISSUER', 'NEXTAUTH_URL'])('refuses a malformed URL in %s', (name) => {
    expect(envErrorFor({ ...valid, [name]: 'tenant.logto.example.com' })).toContain(`  - ${name} must be an http(s) URL`);
  });

  it('refuses a non-http URL in NEXTAUTH_URL', () => {
    expect(envErrorFor({ ...valid, NEXTAUTH_URL: 'ftp://app.example.com' })).toContain('  - NEXTAUTH_URL must be an http(s) URL');
  });

  it.each(['https://tenant.logto.example.com', 'https://tenant.logto.example.com/oidc/'])(
    'refuses the issuer %s, which does not end in /oidc',
    (issuer) => {
      expect(envErrorFor({ ...valid, AUTH_LOGTO_ISSUER: issuer })).toContain(
        '  - AUTH_LOGTO_ISSUER must be your Logto endpoint followed by /oidc',
      );
    },
  );

  it('refuses a NEXTAUTH_SECRET shorter than 32 characters', () => {
    expect(envErrorFor({ ...valid, NEXTAUTH_SECRET: 'x'.repeat(31) })).toContain(
      '  - NEXTAUTH_SECRET must be at least 32 characters',
    );
  });

  it('refuses an AUTH_LOGTO_ID of spaces only', () => {
    expect(envErrorFor({ ...valid, AUTH_LOGTO_ID: '   ' })).toContain('  - AUTH_LOGTO_ID');
  });

  it.each(['none', 'HS256', 'es384'])('refuses the id_token alg %s and lists the accepted ones', (alg) => {
    expect(envErrorFor({ ...valid, AUTH_LOGTO_ID_TOKEN_ALG: alg })).toContain(
      '  - AUTH_LOGTO_ID_TOKEN_ALG must be one of ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA',
    );
  });

  it('reads API resources, extra scopes and the API resource, defaulting it to the first resource', () => {
    const env = parseEnv({
      ...valid,
      AUTH_LOGTO_RESOURCES: 'https://api.books.example.com, urn:logto:resource:organizations',
      AUTH_LOGTO_SCOPES: ' read:books  roles urn:logto:scope:organizations ',
    });
    expect(env.AUTH_LOGTO_RESOURCES).toEqual(['https://api.books.example.com', 'urn:logto:resource:organizations']);
    expect(env.AUTH_LOGTO_SCOPES).toEqual(['read:books', 'roles', 'urn:logto:scope:organizations']);
    expect(env.AUTH_LOGTO_API_RESOURCE).toBe('https://api.books.example.com');
  });

  it('leaves resources and scopes empty, and no API resource, when they are unset or empty', () => {
    const env = parseEnv({ ...valid, AUTH_LOGTO_RESOURCES: '', AUTH_LOGTO_SCOPES: '', AUTH_LOGTO_API_RESOURCE: '' });
    expect(env).toMatchObject({ AUTH_LOGTO_RESOURCES: [], AUTH_LOGTO_SCOPES: [] });
    expect(env).not.toHaveProperty('AUTH_LOGTO_API_RESOURCE');
  });

  it.each([
    ['api.books.example.com', 'which is not an absolute URI'],
    ['https://api.books.example.com#books', 'has a fragment'],
    ['https://a.example.com,,https://b.example.com', 'has an empty entry'],
  ])('refuses the resources %s', (resources, problem) => {
    const message = envErrorFor({ ...valid, AUTH_LOGTO_RESOURCES: resources });
    expect(message).toContain('  - AUTH_LOGTO_RESOURCES ');
    expect(message).toContain(problem);
  });

  it.each(['read:books "roles"', 'read\\books'])('refuses the scopes %s', (scopes) => {
    expect(envErrorFor({ ...valid, AUTH_LOGTO_SCOPES: scopes })).toContain('  - AUTH_LOGTO_SCOPES has ');
  });

  it('lists the same problems, one per bad variable, as structured `problems`', () => {
    let thrown: unknown;
    try {
      parseEnv({ ...valid, AUTH_LOGTO_SECRET: '', AUTH_LOGTO_RESOURCES: 'api.books.example.com' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvError);
    const { problems, message } = thrown as EnvError;
    expect(problems).toEqual([
      { name: 'AUTH_LOGTO_SECRET', problem: 'is empty (an empty value counts as missing)' },
      {
        name: 'AUTH_LOGTO_RESOURCES',
        problem: 'has "api.books.example.com", which is not an absolute URI (e.g. https://api.example.com, as in Logto Console → API resources)',
      },
    ]);
    expect(message).toBe(
      'Invalid environment for Logto sign-in:\n' +
        problems.map(({ name, problem }) => `  - ${name} ${problem}`).join('\n') +
        '\nSet these in .env.local (see .env.example for what each one means).',
    );
  });

  it('refuses an AUTH_LOGTO_API_RESOURCE that AUTH_LOGTO_RESOURCES does not list', () => {
    const message = envErrorFor({
      ...valid,
      AUTH_LOGTO_RESOURCES: 'https://api.books.example.com',
      AUTH_LOGTO_API_RESOURCE: 'https://api.other.example.com',
    });
    expect(message).toContain('  - AUTH_LOGTO_API_RESOURCE is "https://api.other.example.com", which AUTH_LOGTO_RESOURCES does not list');
  });
});
