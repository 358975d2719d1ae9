import type { DecodeRegistry, Layer, PortLayer } from './context.js';
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
import { hep3Stream, sipResync, sipStream, tlsStream, webSocketStream } from './stream-heuristics.js';

/** An IP packet without a link header. */
const decodeRawIp: Layer = (cx, buf, off, end) => cx.rawIp(buf, off, end);

const hepByContent: PortLayer = (cx, buf, off, end) => (looksLikeHep(buf, off, end) ? decodeHep(cx, buf, off, end) : false);

/**
 * The decoder's dissector tables. The only module that knows every protocol; the leaves know
 * none of each other and reach the next layer through the DecodeContext.
 */
export const REGISTRY: DecodeRegistry = {
  linkTypes: new Map<number, Layer>([
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
  ]),
  etherTypes: new Map<number, Layer>([
    [0x0800, decodeIp4],
    [0x86dd, decodeIp6],
    [0x8100, decodeVlan],
    [0x88a8, decodeVlan],
    [0x9100, decodeVlan],
    [0x9200, decodeVlan],
    [0x8864, decodePppoeSession],
    [0x880b, decodePpp],
    [0x8847, decodeMpls],
    [0x8848, decodeMpls],
    [0x6558, decodeEthernet],
  ]),
  ipProtocols: new Map<number, Layer>([
    [4, decodeIp4],
    [6, decodeTcp],
    [17, decodeUdp],
    [41, decodeIp6],
    [47, decodeGre],
    [132, decodeSctp],
  ]),
  udpHeuristics: [hepByContent],
  udpPorts: new Map<number, PortLayer>([
    [2152, decodeGtpU],
    [37008, decodeTzspPayload],
  ]),
  // Order matters: the first heuristic with an opinion decides. A new stream protocol is one entry here.
  streamHeuristics: [tlsStream, sipStream, hep3Stream, webSocketStream, sipResync],
};
