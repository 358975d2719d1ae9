/**
 * Rewrites a frame's link header so a single-link-type pcap file can hold it: frames that
 * carry plain IP convert between Ethernet, Linux cooked capture and raw IP. Anything else
 * cannot be converted (the caller counts it and says so).
 */

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_SLL = 113;
const RAW_IP = new Set([12, 14, 101, 228, 229]);
const ETH_HEADER = 14;
const SLL_HEADER = 16;
const ETHERTYPE_IP4 = 0x0800;
const ETHERTYPE_IP6 = 0x86dd;

/** The IP packet a frame carries, or undefined when it carries something else. */
function ipPacket(data: Buffer, linktype: number): Buffer | undefined {
  let ip: Buffer | undefined;
  if (RAW_IP.has(linktype)) ip = data;
  else if (linktype === LINKTYPE_ETHERNET && data.length > ETH_HEADER && isIpEthertype(data.readUInt16BE(12))) ip = data.subarray(ETH_HEADER);
  else if (linktype === LINKTYPE_SLL && data.length > SLL_HEADER && isIpEthertype(data.readUInt16BE(14))) ip = data.subarray(SLL_HEADER);
  const version = ip && ip.length > 0 ? ip[0] >> 4 : 0;
  return version === 4 || version === 6 ? ip : undefined;
}

function isIpEthertype(t: number): boolean {
  return t === ETHERTYPE_IP4 || t === ETHERTYPE_IP6;
}

const NAMES = new Map([[0, 'BSD loopback'], [1, 'Ethernet'], [9, 'PPP'], [12, 'raw IP'], [14, 'raw IP'], [101, 'raw IP'], [113, 'Linux cooked'], [228, 'raw IPv4'], [229, 'raw IPv6'], [276, 'Linux cooked v2']]);

/** A link type as a person calls it ("Ethernet", "Linux cooked"), else "link type N". */
export function linkName(linktype: number): string {
  return NAMES.get(linktype) ?? `link type ${linktype}`;
}

/** Whether a raw IP packet can be written as link type `to` (convertLink succeeds for any IP packet). */
export function rawConvertsTo(to: number): boolean {
  return to === LINKTYPE_ETHERNET || to === LINKTYPE_SLL || to === 12 || to === 14 || to === 101;
}

/** data (of link type `from`) rewritten as link type `to`, or undefined when that is not possible. */
export function convertLink(data: Buffer, from: number, to: number): Buffer | undefined {
  const ip = ipPacket(data, from);
  if (ip === undefined) return undefined;
  if (to === 101 || (to === 12 || to === 14)) return ip;
  const ethertype = ip[0] >> 4 === 4 ? ETHERTYPE_IP4 : ETHERTYPE_IP6;
  if (to === LINKTYPE_ETHERNET) {
    // Zero MAC addresses: the originals are unknown, and nothing reads them for SIP.
    const out = Buffer.alloc(ETH_HEADER + ip.length);
    out.writeUInt16BE(ethertype, 12);
    ip.copy(out, ETH_HEADER);
    return out;
  }
  if (to === LINKTYPE_SLL) {
    const out = Buffer.alloc(SLL_HEADER + ip.length);
    out.writeUInt16BE(ethertype, 14);
    ip.copy(out, SLL_HEADER);
    return out;
  }
  if ((to === 228 && ethertype === ETHERTYPE_IP4) || (to === 229 && ethertype === ETHERTYPE_IP6)) return ip;
  return undefined;
}
