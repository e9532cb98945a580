import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may send: public unicast addresses only, unless SLIPWAY_WEBHOOK_ALLOWED_HOSTS names the
 * host or a CIDR holding its address. A webhook URL is chosen by any editor, and the API and workers sit
 * next to the database, the object store and the cloud's metadata endpoint; without this, "ping" is a
 * request forgery primitive against all of them.
 */

/** Ranges no webhook reaches by default (RFC 6890 special-purpose registries, both families). */
const NON_PUBLIC_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including 169.254.169.254 (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
];
const NON_PUBLIC_V6: readonly [string, number][] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local, still routed by some stacks
  ['ff00::', 8], // multicast
];

const nonPublic = new BlockList();
for (const [network, prefix] of NON_PUBLIC_V4) nonPublic.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of NON_PUBLIC_V6) nonPublic.addSubnet(network, prefix, 'ipv6');

/** Thrown when a webhook URL or one of its addresses is not allowed; `reason` is for the user. */
export class WebhookAddressRefused extends Error {
  /** `permanent`: the address is not allowed (retrying cannot help); otherwise the host did not resolve, which may pass. */
  constructor(
    readonly reason: string,
    readonly permanent = true,
  ) {
    super(reason);
    this.name = 'WebhookAddressRefused';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

function hextets(address: string): number[] | null {
  // Expands an IPv6 address (with an optional dotted IPv4 tail) to its eight 16-bit groups.
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((octets[0] << 8) | octets[1]).toString(16)}:${((octets[2] << 8) | octets[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right].map((group) => parseInt(group, 16));
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : null;
}

function v4Of(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * The IPv4 address an IPv6 one carries, where the network would deliver it to that IPv4 host: IPv4-mapped
 * (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16). Without this,
 * `[::ffff:127.0.0.1]` would pass as a public IPv6 address.
 */
function embeddedV4(address: string): string | null {
  const g = hextets(address);
  if (!g) return null;
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4Of(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4Of(g[6], g[7]);
  if (g[0] === 0x2002) return v4Of(g[1], g[2]);
  return null;
}

/** Whether `address` (an IP literal) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !nonPublic.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedV4(address);
  if (v4 !== null) return !nonPublic.check(v4, 'ipv4');
  return !nonPublic.check(address.split('%')[0], 'ipv6');
}

/** The allow-list from SLIPWAY_WEBHOOK_ALLOWED_HOSTS: exact hostnames, and CIDRs (a bare IP is a /32 or /128). */
export class WebhookAddressPolicy {
  private readonly hostnames = new Set<string>();
  private readonly networks = new BlockList();

  constructor(allowed: readonly string[] = []) {
    for (const entry of allowed) {
      const [network, prefixText] = entry.split('/');
      const family = isIP(network);
      if (family === 0) {
        this.hostnames.add(normalHostname(entry));
        continue;
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`invalid CIDR in webhook allow-list: ${entry}`);
      this.networks.addSubnet(network, prefix, type);
    }
  }

  private addressAllowed(address: string): boolean {
    if (isPublicAddress(address)) return true;
    const family = isIP(address);
    if (family === 4) return this.networks.check(address, 'ipv4');
    // An allowed IPv4 network is allowed in its IPv4-mapped form too (a dual-stack resolver may answer either).
    const v4 = embeddedV4(address);
    return (v4 !== null && this.networks.check(v4, 'ipv4')) || this.networks.check(address.split('%')[0], 'ipv6');
  }

  /**
   * Resolves the URL's host and returns the addresses to connect to; throws WebhookAddressRefused when the URL
   * is not http(s) or any address it resolves to is not allowed (one bad answer is enough: the connection
   * could go to it). An allow-listed hostname is trusted whatever it resolves to.
   */
  async resolve(url: string, resolver: (hostname: string) => Promise<ResolvedAddress[]> = systemResolve): Promise<ResolvedAddress[]> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WebhookAddressRefused('is not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new WebhookAddressRefused('must be an http(s) URL');
    // WHATWG URL parsing already turned 2130706433, 0177.0.0.1 and 0x7f.1 into 127.0.0.1.
    const host = normalHostname(parsed.hostname);
    const literal = isIP(host);
    if (literal !== 0) {
      if (!this.addressAllowed(host)) throw new WebhookAddressRefused(`${host} is not a public address (allow it with SLIPWAY_WEBHOOK_ALLOWED_HOSTS)`);
      return [{ address: host, family: literal as 4 | 6 }];
    }
    let addresses: ResolvedAddress[];
    try {
      addresses = await resolver(host);
    } catch (error) {
      throw new WebhookAddressRefused(`${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, false);
    }
    if (addresses.length === 0) throw new WebhookAddressRefused(`${host} does not resolve`, false);
    if (this.hostnames.has(host)) return addresses;
    const refused = addresses.find((a) => !this.addressAllowed(a.address));
    if (refused)
      throw new WebhookAddressRefused(`${host} resolves to ${refused.address}, which is not a public address (allow it with SLIPWAY_WEBHOOK_ALLOWED_HOSTS)`);
    return addresses;
  }
}

function normalHostname(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

const RESOLVE_TIMEOUT_MS = 5_000;

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })), RESOLVE_TIMEOUT_MS);
  });
  try {
    const answers = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
    return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } finally {
    clearTimeout(timer);
  }
}
