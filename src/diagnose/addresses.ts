/** Address classes the NAT rules ask about. Documentation ranges (TEST-NET) count as public, as in examples. */
import { isIPv4, isIPv6 } from 'node:net';

const IP = 1;
const PRIVATE = 2;
const LOCAL = 4;

function v4(ip: string): number[] | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').map(Number);
}

function classify(ip: string): number {
  const o = v4(ip);
  if (o) {
    const [a, b] = o;
    const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
    const isLocal = a === 127 || a === 0 || (a === 169 && b === 254);
    return IP | (isPrivate ? PRIVATE : 0) | (isLocal ? LOCAL : 0);
  }
  if (!isIPv6(ip)) return 0;
  return IP | (/^f[cd]/i.test(ip) ? PRIVATE : 0) | (ip === '::1' || ip === '::' || /^fe[89ab]/i.test(ip) ? LOCAL : 0);
}

/**
 * Classes of the addresses asked about lately: the rules ask about every message's source, and a
 * capture has few distinct hosts. Cleared when full, so odd input cannot grow it.
 */
const known = new Map<string, number>();
const MAX_KNOWN = 4096;

function classOf(ip: string): number {
  let c = known.get(ip);
  if (c === undefined) {
    c = classify(ip);
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(ip, c);
  }
  return c;
}

/** RFC 1918, RFC 6598 shared address space, IPv6 unique local (fc00::/7). */
export function isPrivateAddress(ip: string): boolean {
  return (classOf(ip) & PRIVATE) !== 0;
}

/** A routable address: what a packet from beyond a NAT comes from. Loopback, link-local and unspecified say nothing about NAT. */
export function isPublicAddress(ip: string): boolean {
  return classOf(ip) === IP;
}
