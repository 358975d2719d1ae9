/** Address classes the NAT rules ask about. Documentation ranges (TEST-NET) count as public, as in examples. */
import { isIPv4, isIPv6 } from 'node:net';

function v4(ip: string): number[] | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').map(Number);
}

/** RFC 1918, RFC 6598 shared address space, IPv6 unique local (fc00::/7). */
export function isPrivateAddress(ip: string): boolean {
  const o = v4(ip);
  if (o) {
    const [a, b] = o;
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  return isIPv6(ip) && /^f[cd]/i.test(ip);
}

/** Loopback, link-local, unspecified: addresses that say nothing about NAT. */
function isLocalAddress(ip: string): boolean {
  const o = v4(ip);
  if (o) return o[0] === 127 || o[0] === 0 || (o[0] === 169 && o[1] === 254);
  return ip === '::1' || ip === '::' || /^fe[89ab]/i.test(ip);
}

/** A routable address: what a packet from beyond a NAT comes from. */
export function isPublicAddress(ip: string): boolean {
  return (isIPv4(ip) || isIPv6(ip)) && !isPrivateAddress(ip) && !isLocalAddress(ip);
}
