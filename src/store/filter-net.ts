/** IP addresses and CIDR networks for the ip / srcip / dstip filters (IPv4 and IPv6, addresses as the store writes them). */

/** An address as 16-bit groups: 2 for IPv4, 8 for IPv6. */
type Groups = number[];

function parseIp4(text: string): Groups | undefined {
  // A character loop: the test runs once per distinct address of a capture, which can be many.
  const bytes = [0, 0, 0, 0];
  let part = 0, digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++part > 3) return undefined;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      bytes[part] = bytes[part] * 10 + c - 0x30;
      digits++;
    } else return undefined;
  }
  if (part !== 3 || digits === 0 || bytes.some((b) => b > 255)) return undefined;
  return [(bytes[0] << 8) | bytes[1], (bytes[2] << 8) | bytes[3]];
}

function parseIp6(text: string): Groups | undefined {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): Groups | undefined => {
    if (h === '') return [];
    const out: Groups = [];
    const parts = h.split(':');
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k];
      if (k === parts.length - 1 && p.includes('.')) {
        const v4 = parseIp4(p);
        if (!v4) return undefined;
        out.push(...v4);
      } else if (/^[0-9a-f]{1,4}$/i.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** An IPv4 or IPv6 address in text form, or undefined. */
function parseIp(text: string): Groups | undefined {
  return text.includes(':') ? parseIp6(text) : parseIp4(text);
}

/**
 * A test for "address" or "address/prefix-length" (IPv4 or IPv6), or an error message when the
 * text is neither. IPv4 networks never match IPv6 addresses and the other way round.
 */
export function compileNetwork(text: string): ((ip: string) => boolean) | string {
  const slash = text.indexOf('/');
  const net = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!net) return `not an IP address or network: '${text}'`;
  const bits = net.length * 16;
  const prefix = slash < 0 ? bits : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits || (slash >= 0 && !/^\d+$/.test(text.slice(slash + 1)))) {
    return `bad prefix length in '${text}' (0 to ${bits})`;
  }
  return (ip) => {
    const addr = parseIp(ip);
    if (!addr || addr.length !== net.length) return false;
    for (let g = 0, left = prefix; left > 0; g++, left -= 16) {
      const mask = left >= 16 ? 0xffff : (0xffff << (16 - left)) & 0xffff;
      if ((addr[g] & mask) !== (net[g] & mask)) return false;
    }
    return true;
  };
}
