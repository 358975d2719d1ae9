/** Caches bound memory when a capture holds many addresses (scans, NAT pools); a full cache simply starts over. */
const MAX_CACHED = 65536;

/**
 * Text forms of IP addresses. Interning keeps the hot path free of string building: the same
 * few addresses recur in almost every packet of a capture.
 */
export class AddressNames {
  private readonly v4 = new Map<number, string>();
  private readonly v6 = new Map<string, string>();

  ip4(buf: Buffer, off: number): string {
    const key = ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
    let name = this.v4.get(key);
    if (name === undefined) {
      if (this.v4.size >= MAX_CACHED) this.v4.clear();
      name = `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
      this.v4.set(key, name);
    }
    return name;
  }

  ip6(buf: Buffer, off: number): string {
    const key = buf.toString('latin1', off, off + 16);
    let name = this.v6.get(key);
    if (name === undefined) {
      if (this.v6.size >= MAX_CACHED) this.v6.clear();
      name = formatIp6(buf, off);
      this.v6.set(key, name);
    }
    return name;
  }
}

/** RFC 5952 text form: lower-case hex, longest run (≥ 2) of zero groups as "::", IPv4-mapped in dotted form. */
export function formatIp6(buf: Buffer, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[off + 2 * i] << 8) | buf[off + 2 * i + 1]);
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${buf[off + 12]}.${buf[off + 13]}.${buf[off + 14]}.${buf[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** `ip:port`, IPv6 bracketed so the port stays unambiguous (the headless contract's form). */
export function formatEndpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
