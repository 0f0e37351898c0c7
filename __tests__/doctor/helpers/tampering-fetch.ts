/** How to spoil the issuer's answers or the doctor's requests, to stand in for a tenant configured differently. */
export interface Tampering {
  /** Rewrites the discovery document. */
  discovery?: (document: Record<string, unknown>) => Record<string, unknown>;
  /** Rewrites the JWKS. */
  jwks?: (jwks: { keys: Record<string, unknown>[] }) => { keys: Record<string, unknown>[] };
  /** Rewrites a request URL before it reaches the issuer. */
  request?: (url: URL) => URL;
}

/**
 * A fetch that goes to the real issuer but applies `tampering`. The local issuer registers its one client's
 * URIs from a single app URL, so a tenant with, say, the callback registered but not the post sign-out URI
 * can only be had by asking it about another URI for that one probe.
 */
export function tamperingFetch(tampering: Tampering): (input: string, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const url = tampering.request ? tampering.request(new URL(input)) : new URL(input);
    const response = await fetch(url, init);
    const rewrite = url.pathname.endsWith('/.well-known/openid-configuration')
      ? tampering.discovery
      : url.pathname.endsWith('/jwks')
        ? (tampering.jwks as ((body: Record<string, unknown>) => Record<string, unknown>) | undefined)
        : undefined;
    if (!rewrite) return response;
    const body = rewrite((await response.json()) as Record<string, unknown>);
    return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
  };
}
