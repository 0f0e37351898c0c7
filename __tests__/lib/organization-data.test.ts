import { encode, type JWT } from 'next-auth/jwt';
import type { Client } from 'openid-client';
import { pageContext } from '../helpers/page-context';
import { createOrganizationDirectory } from '@/lib/logto/api-tokens/organization-data';
import { createMemorySessionRevocations } from '@/lib/logto/logout/session-revocations';
import { createCookieSessionReader } from '@/lib/logto/session/request-session';
import { createRefreshSingleFlight } from '@/lib/logto/session/refresh-single-flight';

const SECRET = 'organization-data-test-secret-0123456789';
const NOW = 1_750_000_000;

/** A stand-in for openid-client's Client: only `userinfo`, which answers `claims` (or throws them). */
function fakeClient(claims: () => Record<string, unknown>) {
  const userinfo = jest.fn(async () => claims());
  return { client: { userinfo } as unknown as Client, userinfo };
}

/** A directory over `client`, on a clock the test moves, logging into `logs`. */
function directoryFor(client: Client) {
  const clock = { ms: NOW * 1000 };
  const logs: string[] = [];
  const revocations = createMemorySessionRevocations();
  const logger = { error: (code: string) => logs.push(code), warn: (code: string) => logs.push(code) };
  const readSession = createCookieSessionReader({
    providerId: 'logto',
    baseUrl: 'http://app.example.com',
    refresh: { getClient: async () => client, singleFlight: createRefreshSingleFlight(), logger },
    authOptions: () => ({ providers: [], secret: SECRET }),
    revocations,
  });
  const directory = createOrganizationDirectory({
    getClient: async () => client,
    readSession,
    logger,
    ttlMs: 60_000,
    nowSeconds: () => Math.floor(clock.ms / 1000),
  });
  return { directory, clock, logs, revocations };
}

/** The context of a page view carrying a session cookie for `token`. */
async function viewWith(token: JWT) {
  const value = await encode({ token, secret: SECRET });
  return pageContext('/', { cookie: `next-auth.session-token=${value}` });
}

const ALICE: JWT = { provider: 'logto', sub: 'user-1', sessionId: 'session-a', accessToken: 'opaque', expiresAt: NOW + 3600 };

describe('createOrganizationDirectory', () => {
  it('keeps only well-formed organization_data entries, with a null description when there is none', async () => {
    const { client } = fakeClient(() => ({
      sub: 'user-1',
      organization_data: [{ id: 'org-acme', name: 'Acme', description: 'Tools' }, { id: 'org-globex', name: 'Globex' }, { id: 7 }, null, 'x'],
    }));
    const { directory } = directoryFor(client);

    await expect(directory.getOrganizationData(await viewWith(ALICE))).resolves.toEqual([
      { id: 'org-acme', name: 'Acme', description: 'Tools' },
      { id: 'org-globex', name: 'Globex', description: null },
    ]);
  });

  it('asks userinfo again once the names are older than the cache time', async () => {
    const { client, userinfo } = fakeClient(() => ({ organization_data: [{ id: 'org-acme', name: 'Acme' }] }));
    const { directory, clock } = directoryFor(client);

    await directory.getOrganizationData(await viewWith(ALICE));
    clock.ms += 59_000;
    await directory.getOrganizationData(await viewWith(ALICE));
    expect(userinfo).toHaveBeenCalledTimes(1);
    clock.ms += 2_000;
    await directory.getOrganizationData(await viewWith(ALICE));
    expect(userinfo).toHaveBeenCalledTimes(2);
    expect(userinfo).toHaveBeenCalledWith('opaque');
  });

  it('returns null without a request for an expired access token, a session with an error, or no Logto session', async () => {
    const { client, userinfo } = fakeClient(() => ({}));
    const { directory, logs } = directoryFor(client);

    await expect(directory.getOrganizationData(await viewWith({ ...ALICE, expiresAt: NOW - 1 }))).resolves.toBeNull();
    await expect(directory.getOrganizationData(await viewWith({ ...ALICE, error: 'RefreshAccessTokenError' }))).resolves.toBeNull();
    await expect(directory.getOrganizationData(await viewWith({ provider: 'github', sub: 'u' }))).resolves.toBeNull();
    await expect(directory.getOrganizationData(pageContext('/'))).resolves.toBeNull();
    expect(userinfo).not.toHaveBeenCalled();
    expect(logs).toEqual([]);
  });

  it('returns null without a request for a session Logto ended by back-channel logout', async () => {
    const { client, userinfo } = fakeClient(() => ({ organization_data: [{ id: 'org-acme', name: 'Acme' }] }));
    const { directory, revocations } = directoryFor(client);

    await revocations.revokeSid('sid-a', 3600);

    await expect(directory.getOrganizationData(await viewWith({ ...ALICE, sid: 'sid-a' }))).resolves.toBeNull();
    expect(userinfo).not.toHaveBeenCalled();
    await expect(directory.getOrganizationData(await viewWith({ ...ALICE, sid: 'sid-b' }))).resolves.toHaveLength(1);
  });

  it('returns null and logs one line when userinfo fails, and tries again on the next view', async () => {
    const { client, userinfo } = fakeClient(() => {
      throw new Error('expected 200 OK, got: 401 Unauthorized');
    });
    const { directory, logs } = directoryFor(client);

    await expect(directory.getOrganizationData(await viewWith(ALICE))).resolves.toBeNull();
    await expect(directory.getOrganizationData(await viewWith(ALICE))).resolves.toBeNull();
    expect(userinfo).toHaveBeenCalledTimes(2);
    expect(logs).toEqual(['LOGTO_USERINFO_ERROR', 'LOGTO_USERINFO_ERROR']);
  });
});
