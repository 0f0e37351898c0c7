/** A plain `fetch`, injectable so that tests can put a tampering layer between the doctor and the issuer. */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** One answer of the issuer: status, headers, body text, and the body as JSON when it is JSON. */
export interface ProbeAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | undefined;
  /** Local clock (ms since the epoch) halfway between sending the request and receiving the answer. */
  receivedAt: number;
}

/** A request that got no HTTP answer: `message` names the cause in plain words (never a stack trace), `fix` what to do. */
export class ProbeError extends Error {
  override name = 'ProbeError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** What {@link probe} needs besides the request itself. */
export interface ProbeContext {
  fetch: Fetch;
  timeoutMs: number;
  now: () => number;
}

/**
 * Sends one request without following redirects (a probe reads the issuer's own answer) and with a
 * timeout. Throws a {@link ProbeError} naming the cause when no answer comes back.
 */
export async function probe(url: string, init: RequestInit, context: ProbeContext): Promise<ProbeAnswer> {
  if (!/^https?:$/.test(URL.parse(url)?.protocol ?? '')) {
    throw new ProbeError(`"${url}" is not an http(s) URL`, 'check that AUTH_LOGTO_ISSUER points at a Logto tenant');
  }
  const sentAt = context.now();
  let response: Response;
  let text: string;
  try {
    response = await context.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(context.timeoutMs) });
    text = await response.text();
  } catch (error) {
    const { cause, fix } = explainFetchFailure(url, error, context.timeoutMs);
    throw new ProbeError(cause, fix);
  }
  const receivedAt = (sentAt + context.now()) / 2;
  return { status: response.status, headers: response.headers, text, json: parseJsonObject(text), receivedAt };
}

/** Why a request to `url` got no answer (e.g. "nothing listens at localhost:3001 (ECONNREFUSED)") and what to do. */
export function explainFetchFailure(url: string, error: unknown, timeoutMs: number): { cause: string; fix: string } {
  const { host, hostname, protocol } = new URL(url);
  // Duck-typed, not `instanceof Error`: fetch's errors come from another realm under jest.
  const failure = (typeof error === 'object' && error !== null ? error : {}) as FailureShape;
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') {
    return {
      cause: `${host} did not answer within ${timeoutMs / 1000} s`,
      fix: `check that ${host} is the Logto server and that no firewall or proxy swallows the request`,
    };
  }
  const cause = (typeof failure.cause === 'object' && failure.cause !== null ? failure.cause : {}) as FailureShape;
  const code = typeof cause.code === 'string' ? cause.code : typeof failure.code === 'string' ? failure.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return {
        cause: `nothing listens at ${host} (ECONNREFUSED)`,
        fix:
          `start Logto there (for the local issuer: npm run dev), or fix the host and port in AUTH_LOGTO_ISSUER; ` +
          "Logto's default port is 3001, the same as the local issuer's, so only one of them can run on it",
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { cause: `the host name ${hostname} does not resolve (${code})`, fix: 'check the host name in AUTH_LOGTO_ISSUER' };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return {
        cause: `${host} closed the connection (${code})`,
        fix: protocol === 'http:' ? 'check whether the server only speaks https' : 'check the server and any proxy in front of it',
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { cause: `${host} is unreachable from this machine (${code})`, fix: 'check the network route to the Logto server' };
    default:
      if (code?.startsWith('ERR_TLS') || /certificate|self.signed|SSL/i.test(cause.message ?? '')) {
        return {
          cause: `the TLS certificate of ${host} is not trusted (${code ?? cause.message})`,
          fix: 'serve Logto with a certificate this machine trusts (or set NODE_EXTRA_CA_CERTS to your CA file)',
        };
      }
      return {
        cause: `${host} gave no answer: ${cause.message ?? failure.message ?? String(error)}`,
        fix: 'check that AUTH_LOGTO_ISSUER points at a running Logto server',
      };
  }
}

interface FailureShape {
  name?: string;
  message?: string;
  code?: unknown;
  cause?: unknown;
}

/** The OAuth error code in an answer: JSON `error` (Logto's JSON errors), else the first code in an HTML page. */
export function oauthErrorOf(answer: ProbeAnswer): { error: string; description?: string } | undefined {
  if (typeof answer.json?.error === 'string') {
    const description = answer.json.error_description;
    return { error: answer.json.error, description: typeof description === 'string' ? description : undefined };
  }
  // oidc-provider renders its errors as an HTML page that names the code (RFC 6749 §4.1.2.1 codes).
  const match = /\b(invalid_[a-z_]+|unauthorized_client|unsupported_[a-z_]+|access_denied|server_error)\b/.exec(answer.text);
  return match ? { error: match[1] } : undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
