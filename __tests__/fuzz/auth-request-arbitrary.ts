import fc from 'fast-check';

/** One HTTP request to the app, as raw as Node's HTTP client lets a test send it. */
export interface RawRequest {
  method: string;
  /** Path and query, already percent-encoded where needed (Node refuses control characters in it). */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Genuine values taken from a real sign-in, which the fuzzer damages; see {@link authRequest}. */
export interface FuzzMaterial {
  /** The value of a signed-in browser's `next-auth.session-token` cookie (always damaged before use). */
  sessionToken: string;
  /** A matching pair: the `next-auth.csrf-token` cookie and the token to post with it. */
  csrfCookie: string;
  csrfToken: string;
  /** The state, PKCE and nonce cookies of a sign-in started in another browser. */
  oauthCookies: Record<string, string>;
  /** `code`, `state` and `iss` of a callback that was already redeemed. */
  callback: { code: string; state: string; iss: string };
  /** The app's and the issuer's origins. */
  appOrigin: string;
  issuerOrigin: string;
}

// Redirect targets and values that broke parsers somewhere: the kit must refuse each one calmly.
const HOSTILE = [
  '//evil.example.com',
  '/\\evil.example.com',
  '\\\\evil.example.com',
  '/\t/evil.example.com',
  ' //evil.example.com',
  'http://app@evil.example.com/',
  'https://evil.example.com/',
  'http://[::1',
  'http://127.0.0.1:99999/',
  'http://127.0.0.1:-1/',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  'blob:https://evil.example.com/x',
  '%2F%2Fevil.example.com',
  '%252F%252Fevil.example.com',
  '%5C%5Cevil.example.com',
  '%',
  '%E0%A4%A',
  '\u0000',
  '\r\nSet-Cookie: injected=1',
  '__proto__',
  'constructor',
  '[object Object]',
  'undefined',
  'null',
  '{}',
  '[]',
  'true',
  '0',
  '-1',
  '1e400',
  '../../../../etc/passwd',
  'ä½ å¥½',
  '\u202Eevil',
];

const ACTIONS = ['signin', 'callback', 'signout', 'session', 'csrf', 'providers', 'error', 'verify-request', '_log', 'webauthn-options'];
const PARAMS = ['callbackUrl', 'code', 'state', 'iss', 'error', 'error_description', 'csrfToken', 'json', 'redirect', 'nextauth', 'session_state', 'id_token', 'response'];
const COOKIE_NAMES = [
  'next-auth.session-token',
  'next-auth.session-token.0',
  'next-auth.session-token.1',
  'next-auth.session-token.2',
  'next-auth.csrf-token',
  'next-auth.callback-url',
  'next-auth.state',
  'next-auth.pkce.code_verifier',
  'next-auth.nonce',
  '__Secure-next-auth.session-token',
  '__Host-next-auth.csrf-token',
];

/** Printable ASCII and Latin-1 text, the characters Node's HTTP client lets through in a header value. */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength });

/** A value for a parameter: hostile strings, random text of any Unicode, long and very long runs. */
function hostileValue(material: FuzzMaterial): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.constantFrom(material.callback.code, material.callback.state, material.callback.iss, material.csrfToken) },
    { weight: 1, arbitrary: fc.constantFrom('access_denied', 'logto', 'true', material.appOrigin, `${material.appOrigin}/protected`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '/', '%2F', '\\'), fc.integer({ min: 1000, max: 12000 })).map(([c, n]) => c.repeat(n)) },
  );
}

/** A damaged copy of `value`: truncated, a character replaced or inserted, doubled, or emptied. Never the same value. */
function damaged(value: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('truncate', 'replace', 'insert', 'double', 'empty', 'reverse'), fc.nat(), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 3 }))
    .map(([operation, position, text]) => {
      const at = value.length === 0 ? 0 : position % value.length;
      switch (operation) {
        case 'truncate':
          return value.slice(0, at);
        case 'replace':
          return `${value.slice(0, at)}${text}${value.slice(at + 1)}`;
        case 'insert':
          return `${value.slice(0, at)}${text}${value.slice(at)}`;
        case 'double':
          return `${value}${value}`;
        case 'reverse':
          return [...value].reverse().join('');
        default:
          return '';
      }
    })
    .filter((result) => result !== value);
}

/** Cookies for one request: damaged genuine ones, random ones, and session tokens split into damaged chunks. */
function cookies(material: FuzzMaterial): fc.Arbitrary<[string, string][]> {
  const genuine: [string, string][] = [['next-auth.csrf-token', material.csrfCookie], ...Object.entries(material.oauthCookies)];
  const pair = fc.oneof(
    // A genuine CSRF or OAuth cookie, intact: lets the fuzzer reach past the CSRF and state checks.
    fc.constantFrom(...genuine),
    fc.constantFrom(...genuine).chain(([name, value]) => damaged(value).map((bad): [string, string] => [name, bad])),
    damaged(material.sessionToken).map((bad): [string, string] => ['next-auth.session-token', bad]),
    fc.tuple(fc.constantFrom(...COOKIE_NAMES), fc.oneof(hostileValue(material), headerText(60))),
    fc.tuple(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), headerText(40)),
  );
  const chunkedSession = fc
    .tuple(fc.integer({ min: 1, max: material.sessionToken.length - 1 }), damaged(material.sessionToken))
    .map(([cut, bad]): [string, string][] => [
      ['next-auth.session-token.0', bad.slice(0, cut)],
      ['next-auth.session-token.1', bad.slice(cut)],
    ]);
  return fc
    .tuple(fc.array(pair, { maxLength: 6 }), fc.option(chunkedSession, { nil: undefined }))
    .map(([pairs, chunks]) => [...pairs, ...(chunks ?? [])]);
}

/** Query string or form body from key/value pairs (keys repeat), sometimes with raw broken percent-escapes. */
function encodedPairs(material: FuzzMaterial): fc.Arbitrary<string> {
  const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PARAMS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
  const encoded = fc.array(fc.tuple(key, hostileValue(material)), { maxLength: 6 }).map((pairs) =>
    pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
  );
  const raw = fc.constantFrom('callbackUrl=%', 'code=%zz&state=%E0%A4%A', 'callbackUrl', '&&==&', 'a[b]=1&a[c]=2', 'callbackUrl[]=x');
  return fc.oneof({ weight: 5, arbitrary: encoded }, { weight: 1, arbitrary: raw });
}

/** A request body with a content-type that may lie: form, JSON, a JSON scalar, garbage, or a 100 KB field. */
function body(material: FuzzMaterial): fc.Arbitrary<{ type?: string; body?: string }> {
  const jsonValue = fc.dictionary(fc.constantFrom(...PARAMS), fc.oneof(hostileValue(material), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 5 });
  const withCsrf = (text: string) => (text ? `csrfToken=${encodeURIComponent(material.csrfToken)}&${text}` : text);
  const type = fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/json',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded; charset=utf-16',
    'application/json; charset=latin1',
  );
  return fc.oneof(
    fc.constant({}),
    fc.tuple(fc.boolean(), encodedPairs(material)).map(([csrf, text]) => ({ type: 'application/x-www-form-urlencoded', body: csrf ? withCsrf(text) : text })),
    fc.tuple(fc.boolean(), jsonValue).map(([csrf, value]) => ({
      type: 'application/json',
      body: JSON.stringify(csrf ? { ...value, csrfToken: material.csrfToken } : value),
    })),
    fc.tuple(type, fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('null', '[]', '"x"', '1', '{', '{"csrfToken":'))).map(([t, b]) => ({ type: t, body: b })),
    fc.tuple(fc.constantFrom('callbackUrl', 'csrfToken', 'code', 'json'), fc.constantFrom('application/x-www-form-urlencoded', 'application/json')).map(([field, t]) => {
      const huge = `/${'x'.repeat(100 * 1024)}`;
      const payload = { csrfToken: material.csrfToken, [field]: huge };
      return { type: t, body: t === 'application/json' ? JSON.stringify(payload) : new URLSearchParams(payload).toString() };
    }),
  );
}

/** The parts of a request before they are put on the wire. */
interface RequestParts {
  method: string;
  segments: string[];
  query: string;
  cookies: [string, string][];
  headers: Partial<Record<string, string>>;
  body: { type?: string; body?: string };
}

/** Headers a proxy or an attacker may set: hosts, forwarded-for, origins. */
function headers(material: FuzzMaterial): fc.Arbitrary<Partial<Record<string, string>>> {
  return fc.record(
    {
      host: fc.oneof(fc.constantFrom('evil.example.com', 'app.example.com:99999', '', '[::1]', 'a'.repeat(300)), headerText(30)),
      'x-forwarded-host': fc.constantFrom('evil.example.com', '127.0.0.1:1', ''),
      'x-forwarded-proto': fc.constantFrom('https', 'http', 'gopher', ''),
      'x-forwarded-for': headerText(30),
      origin: fc.constantFrom('https://evil.example.com', 'null', material.appOrigin),
      referer: headerText(60),
      accept: fc.constantFrom('application/json', 'text/html', '*/*'),
    },
    { requiredKeys: [] },
  );
}

/** A genuine value, a damaged copy of it, or a hostile one. */
function nearly(value: string, material: FuzzMaterial): fc.Arbitrary<string> {
  return fc.oneof({ weight: 2, arbitrary: fc.constant(value) }, { weight: 2, arbitrary: damaged(value) }, { weight: 1, arbitrary: hostileValue(material) });
}

/** Mostly the genuine value, so that requests get past the check it guards. */
function mostlyGenuine(value: string, material: FuzzMaterial): fc.Arbitrary<string> {
  return fc.oneof({ weight: 6, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: damaged(value) }, { weight: 1, arbitrary: hostileValue(material) });
}

/** The callback Logto sends the browser back with, its code already redeemed: code, state, iss and error parameters. */
function callbackScenario(material: FuzzMaterial): fc.Arbitrary<RequestParts> {
  const { code, state, iss } = material.callback;
  const param = (name: string, value: fc.Arbitrary<string>) => fc.option(value.map((v) => `${name}=${encodeURIComponent(v)}`), { nil: undefined });
  return fc.record({
    method: fc.constantFrom('GET', 'GET', 'POST'),
    segments: fc.constant(['callback', 'logto']),
    query: fc
      .tuple(
        param('code', nearly(code, material)),
        param('state', nearly(state, material)),
        param('iss', nearly(iss, material)),
        param('error', fc.oneof(fc.constantFrom('access_denied', 'invalid_request', 'server_error'), hostileValue(material))),
        param('error_description', hostileValue(material)),
        encodedPairs(material),
      )
      .map((parts) => parts.filter(Boolean).join('&')),
    cookies: cookies(material),
    headers: headers(material),
    body: body(material),
  });
}

/** What `signIn('logto')` and `signOut()` post, with the genuine CSRF pair most of the time so the request gets in. */
function formScenario(material: FuzzMaterial): fc.Arbitrary<RequestParts> {
  const fields = fc.record(
    {
      csrfToken: mostlyGenuine(material.csrfToken, material),
      callbackUrl: hostileValue(material),
      json: fc.constantFrom('true', 'false', ''),
      redirect: fc.constantFrom('false', 'true'),
    },
    { requiredKeys: ['csrfToken'] },
  );
  const csrfCookie = mostlyGenuine(material.csrfCookie, material).map((value): [string, string] => ['next-auth.csrf-token', value]);
  return fc.record({
    method: fc.constant('POST'),
    segments: fc.constantFrom(['signin', 'logto'], ['signout'], ['session'], ['signin']),
    // signIn()'s third argument ends up here, and from here in Logto's authorization URL.
    query: encodedPairs(material),
    cookies: fc.tuple(csrfCookie, cookies(material)).map(([csrf, rest]) => [csrf, ...rest]),
    headers: headers(material),
    body: fc.tuple(fields, fc.boolean(), fc.array(fc.tuple(fc.constantFrom(...PARAMS), hostileValue(material)), { maxLength: 3 })).map(
      ([values, asJson, repeated]) =>
        asJson
          ? { type: 'application/json', body: JSON.stringify(values) }
          : {
              type: 'application/x-www-form-urlencoded',
              body: [new URLSearchParams(values).toString(), ...repeated.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)].join('&'),
            },
    ),
  });
}

/** Session reads and updates with damaged session cookies, whole or in chunks. */
function sessionScenario(material: FuzzMaterial): fc.Arbitrary<RequestParts> {
  return fc.record({
    method: fc.constantFrom('GET', 'GET', 'POST'),
    segments: fc.constantFrom(['session'], ['signout'], ['csrf']),
    query: encodedPairs(material),
    cookies: cookies(material),
    headers: headers(material),
    body: body(material),
  });
}

/** Anything: any method, any action and provider segments, any parameters, cookies, headers and body. */
function randomScenario(material: FuzzMaterial): fc.Arbitrary<RequestParts> {
  const segment = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ACTIONS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '..', '', 'SIGNIN', 'signin%00', '__proto__') },
  );
  const provider = fc.oneof({ weight: 5, arbitrary: fc.constant('logto') }, { weight: 1, arbitrary: fc.constantFrom('github', '', '%2e%2e', 'logto%20', '__proto__') });
  return fc.record({
    method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
    segments: fc.array(fc.oneof(segment, provider), { minLength: 1, maxLength: 3 }),
    query: encodedPairs(material),
    cookies: cookies(material),
    headers: headers(material),
    body: body(material),
  });
}

/** Any request to `/api/auth/*` a browser, a script or an attacker could send, built around `material`. */
export function authRequest(material: FuzzMaterial): fc.Arbitrary<RawRequest> {
  return fc
    .oneof(
      { weight: 3, arbitrary: callbackScenario(material) },
      { weight: 3, arbitrary: formScenario(material) },
      { weight: 2, arbitrary: sessionScenario(material) },
      { weight: 2, arbitrary: randomScenario(material) },
    )
    .map((r) => {
      // Node's HTTP client refuses control characters in a header (as browsers never send them).
      const printable = (text: string) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
      const headerMap: Record<string, string> = {};
      for (const [name, value] of Object.entries(r.headers)) if (value !== undefined) headerMap[name] = printable(value);
      if (r.cookies.length > 0) headerMap.cookie = printable(r.cookies.map(([name, value]) => `${name}=${value}`).join('; '));
      if (r.body.type) headerMap['content-type'] = r.body.type;
      return {
        method: r.method,
        path: `/api/auth/${r.segments.join('/')}${r.query ? `?${r.query}` : ''}`,
        headers: headerMap,
        body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body.body,
      };
    });
}
