import type { OAuthConfig } from 'next-auth/providers/oauth';
import { createAuthLogger } from '@/lib/logto/log/logger';
import { cacheDiscovery } from '@/lib/logto/oidc/discovery-cache';
import type { LogtoProfile } from '@/lib/logto/profile';
import { startTestIssuer, type TestIssuer } from '../logto-kit/helpers/test-issuer';

describe('cacheDiscovery', () => {
  let issuer: TestIssuer;
  let provider: OAuthConfig<LogtoProfile>;
  const logger = createAuthLogger({ error: () => undefined, warn: () => undefined });

  beforeEach(async () => {
    issuer = await startTestIssuer();
    provider = {
      id: 'logto',
      name: 'Logto',
      type: 'oauth',
      issuer: issuer.issuer,
      wellKnown: `${issuer.issuer}/.well-known/openid-configuration`,
      clientId: issuer.clientId,
      clientSecret: issuer.clientSecret,
      idToken: true,
      client: { id_token_signed_response_alg: 'ES384' },
      profile: (profile) => ({ id: profile.sub }),
    };
  });
  afterEach(() => issuer.close());

  it('resolves the provider once per discovery, with the discovered endpoints and no wellKnown', async () => {
    const cached = cacheDiscovery(provider, { callbackUrl: 'https://app.example.com/api/auth/callback/logto', logger });
    const first = await cached.resolveProvider();
    expect(await cached.resolveProvider()).toBe(first);
    expect(first.wellKnown).toBeUndefined();
    expect(first.token).toMatchObject({ url: `${issuer.issuer}/token` });
    expect(issuer.count('discovery')).toBe(1);
  });

  it('names the cached client’s token endpoint auth method for next-auth’s per-request client, keeping the provider’s own options', async () => {
    const cached = cacheDiscovery(provider, { callbackUrl: 'https://app.example.com/api/auth/callback/logto', logger });
    const client = await cached.getClient();
    const resolved = await cached.resolveProvider();
    expect(client.metadata.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(resolved.client).toEqual({ token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES384' });
  });

  it('lets the provider literal choose another token endpoint auth method', async () => {
    provider.client = { ...provider.client, token_endpoint_auth_method: 'client_secret_post' };
    const resolved = await cacheDiscovery(provider, { callbackUrl: 'https://app.example.com/api/auth/callback/logto', logger }).resolveProvider();
    expect(resolved.client?.token_endpoint_auth_method).toBe('client_secret_post');
  });
});
