import { CookieJar } from './cookie-jar';

/** A request as {@link HttpBrowser.send} takes it. */
export interface BrowserRequest {
  method?: 'GET' | 'POST';
  /** Sent as `application/x-www-form-urlencoded`, the way a browser submits a form. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** One response, with its body read and the URL it answered for. */
export interface BrowserResponse {
  url: URL;
  status: number;
  headers: Headers;
  body: string;
  /** The `Location` header resolved against `url`, when the response is a redirect. */
  location?: URL;
}

/** Options of {@link HttpBrowser}. */
export interface HttpBrowserOptions {
  /**
   * Maps the URL the browser believes it talks to onto the address it really connects to. Identity by
   * default; a test with a TLS-terminating proxy maps `https://host:port` to the proxy's `http://` URL,
   * while cookies and redirects keep following the https URL, as a browser behind the proxy would see.
   */
  transport?: (url: URL) => URL;
  /** Per-request timeout in milliseconds (default 15 000). */
  timeoutMs?: number;
  /** Upper bound on redirects {@link HttpBrowser.follow} takes before it gives up (default 20). */
  maxRedirects?: number;
  /** Another browser's cookies, shared (e.g. the same user reaching one instance behind a load balancer); default a new jar. */
  jar?: CookieJar;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * A minimal browser over Node's fetch: a cookie jar, manual redirects and a record of every hop, so a
 * test can walk an OAuth flow over plain HTTP and say exactly where it went wrong.
 */
export class HttpBrowser {
  readonly jar: CookieJar;
  /** Every request made, as `METHOD url → status`, for failure messages. */
  readonly history: string[] = [];
  private readonly transport: (url: URL) => URL;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;

  constructor(options: HttpBrowserOptions = {}) {
    this.jar = options.jar ?? new CookieJar();
    this.transport = options.transport ?? ((url) => url);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRedirects = options.maxRedirects ?? 20;
  }

  /** One request, no redirect followed; cookies are sent and stored. */
  async send(target: string | URL, request: BrowserRequest = {}): Promise<BrowserResponse> {
    const url = new URL(target);
    const method = request.method ?? (request.form ? 'POST' : 'GET');
    const headers = new Headers(request.headers);
    const cookie = this.jar.headerFor(url);
    if (cookie) headers.set('cookie', cookie);
    let body: string | undefined;
    if (request.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(request.form).toString();
    }
    let response: Response;
    try {
      response = await fetch(this.transport(url), {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      this.history.push(`${method} ${url.href} → ${(error as Error).message}`);
      throw new Error(`${method} ${url.href} failed: ${causeOf(error)}`);
    }
    this.jar.storeFrom(url, response);
    const text = await response.text();
    const locationHeader = response.headers.get('location');
    const location = locationHeader !== null ? new URL(locationHeader, url) : undefined;
    this.history.push(`${method} ${url.href} → ${response.status}${location ? ` ${location.href}` : ''}`);
    return { url, status: response.status, headers: response.headers, body: text, location };
  }

  /**
   * Sends `request`, then follows redirects with GET until a response is not a redirect, or until
   * `stopAt` says the next URL is where the caller wants to take over (that URL is not requested).
   */
  async follow(
    target: string | URL,
    request: BrowserRequest = {},
    stopAt?: (next: URL) => boolean,
  ): Promise<{ response: BrowserResponse; stoppedAt?: URL }> {
    let response = await this.send(target, request);
    for (let hops = 0; hops < this.maxRedirects; hops++) {
      if (!REDIRECT_STATUSES.has(response.status) || !response.location) return { response };
      if (stopAt?.(response.location)) return { response, stoppedAt: response.location };
      response = await this.send(response.location);
    }
    throw new Error(`more than ${this.maxRedirects} redirects:\n${this.recentHistory()}`);
  }

  /** The last requests, one per line, for an error message. */
  recentHistory(count = 12): string {
    return this.history.slice(-count).map((line) => `  ${line}`).join('\n');
  }
}

function causeOf(error: unknown): string {
  const { message, cause } = error as Error & { cause?: unknown };
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}
