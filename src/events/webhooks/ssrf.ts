// SSRF guard for webhook URLs: http(s) only, and the host must not be or resolve to
// loopback, private, link-local, unique-local, CGNAT, multicast or unspecified
// addresses — unless the hostname, the IP or a CIDR containing it is in
// WEBHOOK_ALLOW_HOSTS. Checked when an endpoint is created or its URL changed; at
// delivery the URL is checked again and names are checked as they are dialled
// (pinnedAgent.ts), since DNS may have changed since (rebinding).
import dns from 'node:dns';
import net from 'node:net';

export class SsrfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SsrfError';
  }
}

/** Every address a name resolves to (injectable in tests). */
export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const defaultLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

const BLOCKED = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8], // "this network", includes 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) BLOCKED.addSubnet(net4, prefix, 'ipv4');
for (const [net6, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fe80::', 10], // link-local
  ['fc00::', 7], // unique-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of any IPv4, checked below as IPv4 too
] as const) BLOCKED.addSubnet(net6, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped / NAT64 IPv6 address, if any. */
function embeddedIpv4(ip: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m) return m[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return undefined;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isBlockedAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return BLOCKED.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(ip);
    if (v4 !== undefined) return BLOCKED.check(v4, 'ipv4') || BLOCKED.check(ip, 'ipv6');
    return BLOCKED.check(ip, 'ipv6');
  }
  return true; // not an IP at all: refuse
}

/** The one SSRF rule for an address: internal ones are refused unless allow-listed. */
export function isRefusedAddress(ip: string, allow: AllowList): boolean {
  return isBlockedAddress(ip) && !allow.allowsIp(ip);
}

/** Allow-list entries: hostnames (exact, case-insensitive), IPs, or CIDRs (10.1.0.0/16). */
export class AllowList {
  private readonly hosts = new Set<string>();
  private readonly nets = new net.BlockList();

  constructor(entries: string[]) {
    for (const raw of entries) {
      const e = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
      const cidr = /^(.+)\/(\d{1,3})$/.exec(e);
      if (cidr && net.isIP(cidr[1])) this.nets.addSubnet(cidr[1], Number(cidr[2]), net.isIP(cidr[1]) === 4 ? 'ipv4' : 'ipv6');
      else if (net.isIP(e)) this.nets.addAddress(e, net.isIP(e) === 4 ? 'ipv4' : 'ipv6');
      else if (e) this.hosts.add(e);
    }
  }

  allowsHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase());
  }

  allowsIp(ip: string): boolean {
    const family = net.isIP(ip);
    if (!family) return false;
    if (this.nets.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return true;
    const v4 = family === 6 ? embeddedIpv4(ip) : undefined;
    return v4 !== undefined && this.nets.check(v4, 'ipv4');
  }
}

export interface UrlCheckOptions {
  allow: AllowList;
  lookup?: LookupAll;
  /** DNS lookup timeout (default 5 s). */
  lookupTimeoutMs?: number;
  /**
   * false: check an IP-literal host only and leave names to the connection's own
   * lookup (pinnedAgent.ts applies the same rule there), instead of resolving twice.
   */
  resolveNames?: boolean;
}

/** Parses and checks a webhook URL; throws SsrfError with a reason a person can act on. */
export async function assertDeliverableUrl(raw: string, opts: UrlCheckOptions): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SsrfError('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SsrfError(`scheme ${url.protocol.replace(/:$/, '')} is not allowed: use http or https`);
  if (url.username || url.password) throw new SsrfError('credentials in the URL are not supported');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new SsrfError('the URL has no host');
  if (opts.allow.allowsHost(host)) return url;

  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else if (opts.resolveNames === false) return url;
  else {
    const lookup = opts.lookup ?? defaultLookup;
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        lookup(host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new SsrfError(`DNS lookup of ${host} timed out`)), opts.lookupTimeoutMs ?? 5000);
        }),
      ]);
      addresses = found.map((a) => a.address);
    } catch (err) {
      if (err instanceof SsrfError) throw err;
      throw new SsrfError(`host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    } finally {
      clearTimeout(timer);
    }
    if (!addresses.length) throw new SsrfError(`host ${host} does not resolve`);
  }
  const refused = addresses.filter((a) => isRefusedAddress(a, opts.allow));
  if (refused.length) {
    const what = net.isIP(host) ? `${host} is a loopback, private or link-local address` : `${host} resolves to a loopback, private or link-local address (${refused.join(', ')})`;
    throw new SsrfError(`${what}; add it to WEBHOOK_ALLOW_HOSTS to allow it`);
  }
  return url;
}
