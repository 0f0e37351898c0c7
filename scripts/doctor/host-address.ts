import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Resolves a host name to all its addresses, as `lookup(name, { all: true })` of node:dns/promises does. */
export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), the one the app's own requests use. */
export const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true });

/** Address ranges a request from Logto should not reach when it guards against SSRF. */
export type PrivateKind = 'loopback' | 'private' | 'link-local';

/** Where a host name or address points, as far as this machine can tell. */
export type HostAddress =
  | { kind: 'public' }
  | { kind: PrivateKind; /** The address it resolved to; absent when the name or literal alone says so. */ address?: string }
  | { kind: 'unresolved'; /** e.g. `ENOTFOUND`, or "no answer within 2 s". */ reason: string };

/**
 * Loopback (127.0.0.0/8, ::1), private (10/8, 172.16/12, 192.168/16, 0/8, fc00::/7) or link-local
 * (169.254/16, fe80::/10) for an IP address; undefined for any other address or for a name.
 */
export function privateKindOfAddress(address: string): PrivateKind | undefined {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
    return undefined;
  }
  if (isIP(ip) !== 6) return undefined;
  const groups = ipv6Groups(ip);
  // An IPv4-mapped address (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) is the IPv4 address.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return privateKindOfAddress([groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.'));
  }
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return 'loopback';
  if ((groups[0] & 0xfe00) === 0xfc00) return 'private';
  if ((groups[0] & 0xffc0) === 0xfe80) return 'link-local';
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 split in two). */
function ipv6Groups(ip: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const text = dotted
    ? `${ip.slice(0, dotted.index)}${((+dotted[1] << 8) | +dotted[2]).toString(16)}:${((+dotted[3] << 8) | +dotted[4]).toString(16)}`
    : ip;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * What a host name says without asking DNS: an IP literal's range, `localhost` and `*.localhost` (loopback,
 * RFC 6761 §6.3), and names that only exist inside a network (one label, `.local`, `.internal`, `.lan`,
 * `.home.arpa`). Undefined for any other name.
 */
export function privateKindOfName(hostname: string): PrivateKind | undefined {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (isIP(host) !== 0) return privateKindOfAddress(host);
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (!host.includes('.') || /\.(local|internal|lan|home\.arpa)$/.test(host)) return 'private';
  return undefined;
}

/**
 * Where `hostname` points: by its name or literal when that says it, else by resolving it with `lookup`
 * within `timeoutMs`. A name with any loopback or private address counts as that: a connection may use it.
 */
export async function resolveHostAddress(hostname: string, lookup: Lookup, timeoutMs: number): Promise<HostAddress> {
  const byName = privateKindOfName(hostname);
  if (byName) return { kind: byName };
  if (isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return { kind: 'public' };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([lookup(hostname), timeout]);
    if (answer === 'timeout') return { kind: 'unresolved', reason: `no answer within ${timeoutMs / 1000} s` };
    if (answer.length === 0) return { kind: 'unresolved', reason: 'no address' };
    for (const { address } of answer) {
      const kind = privateKindOfAddress(address);
      if (kind) return { kind, address };
    }
    return { kind: 'public' };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return { kind: 'unresolved', reason: typeof code === 'string' ? code : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether `hostname` is Logto Cloud: a tenant's default endpoint `<tenant-id>.logto.app`, or Logto's own
 * `*.logto.io` (cloud.logto.io, auth.logto.io). A Cloud tenant on a custom domain cannot be told apart.
 * @see https://docs.logto.io/docs/recipes/custom-domain/
 */
export function isLogtoCloudHost(hostname: string): boolean {
  return /(^|\.)logto\.(app|io)$/.test(hostname.toLowerCase().replace(/\.$/, ''));
}
