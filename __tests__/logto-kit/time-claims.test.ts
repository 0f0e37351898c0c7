import type { Response } from 'supertest';
import { useHostApp } from './helpers/host-app';
import { readSession, setCookieNames, signIn } from './helpers/sign-in-flow';
import type { TestIssuer } from './helpers/test-issuer';

// The rule, written out rather than read from the kit: a copy whose CLOCK_SKEW_SECONDS or openid-client
// clock_tolerance was widened must fail here.
const MAX_SKEW_SECONDS = 10;
// How far past or inside each limit the tokens below are: a second may tick between signing and checking.
const MARGIN_SECONDS = 3;
const PAST = MAX_SKEW_SECONDS + MARGIN_SECONDS;
const INSIDE = MAX_SKEW_SECONDS - MARGIN_SECONDS;
// The test issuer's id_token lifetime (Logto's): exp = iat + 1 h.
const ID_TOKEN_TTL_SECONDS = 3600;
const now = () => Math.floor(Date.now() / 1000);

/** Spoils the issuer's next id_tokens: `seconds` past (or inside) one of the time limits. */
type Skewed = (issuer: TestIssuer, seconds: number) => void;

/** Each time limit: the case's name for `seconds`, and how to spoil the id_token by that much. */
const LIMITS: Array<[(seconds: number) => string, Skewed]> = [
  // The issuer's clock behind: iat and exp move together, so only exp is out of line.
  [(seconds) => `an exp ${seconds} s ago`, (issuer, seconds) => (issuer.clockOffsetSeconds = -ID_TOKEN_TTL_SECONDS - seconds)],
  [(seconds) => `an iat ${seconds} s ahead`, (issuer, seconds) => (issuer.clockOffsetSeconds = seconds)],
  [(seconds) => `an nbf ${seconds} s ahead`, (issuer, seconds) => (issuer.tamper = { claims: { nbf: now() + seconds } })],
  [(seconds) => `an auth_time ${seconds} s ahead`, (issuer, seconds) => (issuer.tamper = { claims: { auth_time: now() + seconds } })],
];
const casesAt = (seconds: number): Array<[string, Skewed]> => LIMITS.map(([name, skew]) => [name(seconds), skew]);

// Drop-in: id_tokens are checked against this server's clock with a 10 s skew at most (OIDC Core §3.1.3.7).
describe('your /api/auth/callback/logto, checking id_token times with at most 10 s of skew', () => {
  const host = useHostApp();

  it.each(casesAt(PAST))('refuses an id_token with %s', async (_case, skew) => {
    const { issuer } = host();
    skew(issuer, PAST);
    const browser = host().browser();

    const { callbackResponse } = await signIn(browser, issuer);

    expectRefused(callbackResponse);
    await expect(readSession(browser)).resolves.toBeNull();
  });

  it.each(casesAt(INSIDE))('accepts an id_token with %s', async (_case, skew) => {
    const { issuer } = host();
    skew(issuer, INSIDE);
    const browser = host().browser();

    const { callbackResponse } = await signIn(browser, issuer);

    expect(callbackResponse.status).toBe(302);
    expect(callbackResponse.headers.location).not.toMatch(/[?&]error=/);
    expect((await readSession(browser))?.user.id).toBe(await host().userId('user-1'));
  });

  /** A refused callback: a redirect carrying `error=` and no session cookie. */
  function expectRefused(response: Response) {
    expect(response.status).toBe(302);
    expect(response.headers.location).toMatch(/[?&]error=/);
    const sessionCookie = host().route.authOptions.cookies?.sessionToken?.name;
    expect(setCookieNames(response).filter((name) => (sessionCookie ? name.startsWith(sessionCookie) : name.includes('session-token')))).toEqual([]);
  }
});
