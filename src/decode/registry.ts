import type { DecodeContext, Layer, Skip } from './context.js';
import { decodeEthernet } from './ethernet.js';
import { decodeVlan } from './vlan.js';
import { decodePppoeSession, decodePpp } from './ppp.js';
import { decodeSll, decodeSll2 } from './sll.js';
import { decodeBsdNull, decodeBsdLoop } from './loopback.js';
import { decodeIp4 } from './ip4.js';
import { decodeIp6 } from './ip6.js';
import { decodeUdp } from './udp.js';
import { decodeTcp } from './tcp.js';
import { decodeSctp } from './sctp.js';
import { decodeGre } from './gre.js';
import { decodeGtpU } from './gtp.js';
import { decodeTzspPayload } from './tzsp-udp.js';
import { decodeHep, looksLikeHep } from './hep.js';
import { decodeMpls } from './mpls.js';

/**
 * A decoder for a well-known UDP port. Ports are only a hint: false means "the bytes are not
 * this protocol", and the payload is then emitted as a plain UDP datagram.
 */
export type PortLayer = (cx: DecodeContext, buf: Buffer, off: number, end: number) => Skip | false;

/** pcap LINKTYPE_* → decoder. */
const linkTypes = new Map<number, Layer>([
  [0, decodeBsdNull],
  [1, decodeEthernet],
  [9, decodePpp],
  [12, decodeRawIp],
  [14, decodeRawIp],
  [101, decodeRawIp],
  [108, decodeBsdLoop],
  [113, decodeSll],
  [228, decodeIp4],
  [229, decodeIp6],
  [276, decodeSll2],
]);

/** Ethertype → decoder (also used by SLL, GRE and inner Ethernet). */
const etherTypes = new Map<number, Layer>([
  [0x0800, decodeIp4],
  [0x86dd, decodeIp6],
  [0x8100, decodeVlan],
  [0x88a8, decodeVlan],
  [0x9100, decodeVlan],
  [0x9200, decodeVlan],
  [0x8864, decodePppoeSession],
  [0x8847, decodeMpls],
  [0x8848, decodeMpls],
  [0x6558, decodeEthernet],
]);

/** IP protocol number → decoder. */
const ipProtocols = new Map<number, Layer>([
  [4, decodeIp4],
  [6, decodeTcp],
  [17, decodeUdp],
  [41, decodeIp6],
  [47, decodeGre],
  [132, decodeSctp],
]);

/** Well-known UDP ports of encapsulations (either direction). */
const udpPorts = new Map<number, PortLayer>([
  [2152, decodeGtpU],
  [37008, decodeTzspPayload],
]);

export function decodeLink(cx: DecodeContext, linktype: number, buf: Buffer, off: number, end: number): Skip {
  const layer = linkTypes.get(linktype);
  return layer === undefined ? `linktype-unsupported:${linktype}` : layer(cx, buf, off, end);
}

export function decodeEtherType(cx: DecodeContext, type: number, buf: Buffer, off: number, end: number): Skip {
  const layer = etherTypes.get(type);
  if (layer !== undefined) return layer(cx, buf, off, end);
  // Values up to 1500 are 802.3 lengths (LLC frames: STP, CDP, …), never IP.
  return type <= 1500 ? 'eth-llc' : `ethertype-unsupported:0x${type.toString(16).padStart(4, '0')}`;
}

/** Dispatches on the IP protocol once the IP layer has set cx.src / cx.dst. */
export function decodeIpProtocol(cx: DecodeContext, proto: number, buf: Buffer, off: number, end: number): Skip {
  const layer = ipProtocols.get(proto);
  return layer === undefined ? `ip-proto-unsupported:${proto}` : layer(cx, buf, off, end);
}

/** An IP packet without a link header: the version nibble tells v4 from v6. */
export function decodeRawIp(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (off >= end) return 'ip-truncated';
  const version = buf[off] >> 4;
  if (version === 4) return decodeIp4(cx, buf, off, end);
  if (version === 6) return decodeIp6(cx, buf, off, end);
  return 'ip-bad-version';
}

/** A UDP payload (cx.sport / cx.dport set): HEP by content, encapsulations by port, else a datagram. */
export function decodeUdpPayload(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (looksLikeHep(buf, off, end)) return decodeHep(cx, buf, off, end);
  const special = udpPorts.get(cx.dport) ?? udpPorts.get(cx.sport);
  if (special !== undefined) {
    const r = special(cx, buf, off, end);
    if (r !== false) return r;
  }
  cx.emit(buf, off, end, 'UDP');
  return undefined;
}
