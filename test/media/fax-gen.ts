// Generated fax calls: SIP call, re-INVITE to T.38, then a complete T.30 session carried in
// UDPTL with redundancy, written as a pcap. The steps are chosen by the test (ECM, one FTT
// retrain, dropped packets, a refused or ignored switch).
import { ethUdp } from '../decode/packets.js';
import { classicPcap, writeTmp, type PcapRecord } from '../source/captures.js';
import type { INDICATORS, MODEMS } from '../../src/media/t38.js';
import { reverseBits } from '../../src/media/t30.js';
import { capBits, dataIfp, FCF, hdlcFrame, identity, indicatorIfp, udptlRedundancy, type Field } from './t38-encode.js';

export const SENDER = { ip: '192.0.2.10', sip: 5060, audio: 20000, image: 30000, id: '+4930 1234567' };
export const RECEIVER = { ip: '192.0.2.20', sip: 5060, audio: 21000, image: 40000, id: '+1 555 0100' };
type Side = typeof SENDER;

export interface FaxCallOptions {
  ecm?: boolean;
  /** The first training at 14400 fails (FTT) and the sender falls back to 12000. */
  ftt?: boolean;
  pages?: number;
  /** UDPTL packets (0-based, counted over both directions) left out of the capture. */
  drop?: (index: number) => boolean;
  /** 'refused': the re-INVITE gets 488; 'ignored': it is accepted but both sides keep sending RTP. */
  t38?: 'used' | 'refused' | 'ignored';
  /** T.38 over RTP (RFC 4612, payload type 96) instead of UDPTL. */
  rtp?: boolean;
  /** Replaces IFP number `index` (0-based, both directions) before it is framed (a corrupt gateway). */
  mutateIfp?: (index: number, ifp: Buffer) => Buffer;
  /** Replaces the UDPTL packet number `index` as written to the capture (a damaged packet). */
  mutatePacket?: (index: number, packet: Buffer) => Buffer;
}

const CALL_ID = 'fax-call-1@192.0.2.10';
const REDUNDANCY = 3;
const RTP_T38 = 96;

class Builder {
  readonly records: PcapRecord[] = [];
  private us = 1_700_000_000_000_000;
  private readonly seq = new Map<Side, number>();
  private readonly sent = new Map<Side, Buffer[]>();
  private udptlIndex = 0;
  private ifpIndex = 0;

  constructor(
    private readonly drop: (index: number) => boolean,
    private readonly overRtp: boolean,
    private readonly mutateIfp: (index: number, ifp: Buffer) => Buffer = (_i, b) => b,
    private readonly mutatePacket: (index: number, packet: Buffer) => Buffer = (_i, b) => b,
  ) {}

  at(ms: number): void {
    this.us += ms * 1000;
  }

  private emit(from: Side, to: Side, sport: number, dport: number, payload: Buffer): void {
    const sec = Math.floor(this.us / 1e6);
    this.records.push({ sec, frac: this.us - sec * 1e6, data: ethUdp(payload, from.ip, to.ip, sport, dport) });
  }

  sip(from: Side, to: Side, lines: string[], sdp = ''): void {
    const text = [...lines, `Call-ID: ${CALL_ID}`, ...(sdp ? ['Content-Type: application/sdp'] : []), `Content-Length: ${sdp.length}`, '', sdp].join('\r\n');
    this.emit(from, to, from.sip, to.sip, Buffer.from(text));
    this.at(5);
  }

  rtp(from: Side, to: Side, n: number): void {
    for (let i = 0; i < n; i++) {
      const b = Buffer.alloc(172, 0xd5);
      b.writeUInt16BE(0x8008, 0);
      b.writeUInt16BE(i, 2);
      b.writeUInt32BE(i * 160, 4);
      b.writeUInt32BE(from === SENDER ? 0x1111 : 0x2222, 8);
      this.emit(from, to, from.audio, to.audio, b);
      this.at(20);
    }
  }

  ifp(from: Side, original: Buffer): void {
    const ifp = this.mutateIfp(this.ifpIndex++, original);
    const to = from === SENDER ? RECEIVER : SENDER;
    const seq = this.seq.get(from) ?? 0;
    this.seq.set(from, seq + 1);
    const history = this.sent.get(from) ?? [];
    this.sent.set(from, [ifp, ...history].slice(0, REDUNDANCY));
    const packet = this.overRtp ? Buffer.concat([Buffer.from([0x80, RTP_T38, seq >> 8, seq & 0xff, 0, 0, 0, 0, 0, 0, 0, 7]), ifp]) : udptlRedundancy(seq, ifp, history);
    const index = this.udptlIndex++;
    if (!this.drop(index)) this.emit(from, to, from.image, to.image, this.mutatePacket(index, packet));
    this.at(20);
  }

  indicator(from: Side, name: (typeof INDICATORS)[number]): void {
    this.ifp(from, indicatorIfp(name));
  }

  /** T.30 frames at V.21: preamble, each frame in 4-octet pieces, fcs-OK (sig-end after the last). */
  control(from: Side, frames: Buffer[]): void {
    this.indicator(from, 'v21-preamble');
    this.at(1000);
    frames.forEach((frame, i) => {
      for (let at = 0; at < frame.length; at += 4) this.ifp(from, dataIfp('v21', [{ type: 'hdlc-data', data: frame.subarray(at, at + 4) }]));
      this.ifp(from, dataIfp('v21', [{ type: i === frames.length - 1 ? 'hdlc-fcs-OK-sig-end' : 'hdlc-fcs-OK' }]));
    });
    this.indicator(from, 'no-signal');
    this.at(75);
  }

  /** Non-ECM high-speed data (training check or a page): training indicator, data, sig-end. */
  nonEcm(from: Side, training: (typeof INDICATORS)[number], modem: (typeof MODEMS)[number], packets: number, fill: number): void {
    this.indicator(from, training);
    this.at(200);
    for (let i = 0; i < packets; i++) this.ifp(from, dataIfp(modem, [{ type: 't4-non-ecm-data', data: Buffer.alloc(180, fill) }]));
    this.ifp(from, dataIfp(modem, [{ type: 't4-non-ecm-sig-end' }]));
    this.indicator(from, 'no-signal');
  }

  /** One ECM block: FCD frames of 64 octets, three RCP, each closed by fcs-OK. */
  ecmBlock(from: Side, training: (typeof INDICATORS)[number], modem: (typeof MODEMS)[number], frames: number): void {
    this.indicator(from, training);
    this.at(200);
    const fields = (f: Buffer, last: boolean): Field[] => [{ type: 'hdlc-data', data: f }, { type: last ? 'hdlc-fcs-OK-sig-end' : 'hdlc-fcs-OK' }];
    for (let i = 0; i < frames; i++) {
      this.ifp(from, dataIfp(modem, fields(hdlcFrame(FCF.FCD, Buffer.concat([Buffer.from([i]), Buffer.alloc(64, 0x5a)]), false, false), false)));
    }
    for (let i = 0; i < 3; i++) this.ifp(from, dataIfp(modem, fields(hdlcFrame(FCF.RCP, Buffer.alloc(0), false, false), i === 2)));
    this.indicator(from, 'no-signal');
  }
}

const sdp = (side: Side, media: string): string =>
  ['v=0', `o=- 1 1 IN IP4 ${side.ip}`, 's=-', `c=IN IP4 ${side.ip}`, 't=0 0', media, ''].join('\r\n');
const audio = (s: Side): string => sdp(s, `m=audio ${s.audio} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000`);
const image = (s: Side, rtp = false): string => rtp
  ? sdp(s, `m=image ${s.image} RTP/AVP ${RTP_T38}\r\na=rtpmap:${RTP_T38} t38/8000`)
  : sdp(s, `m=image ${s.image} udptl t38\r\na=T38FaxVersion:0\r\na=T38FaxRateManagement:transferredTCF\r\na=T38FaxUdpEC:t38UDPRedundancy`);

function request(method: string, cseq: number, from: Side, to: Side): string[] {
  return [`${method} sip:fax@${to.ip} SIP/2.0`, `Via: SIP/2.0/UDP ${from.ip};branch=z9hG4bK${method}${cseq}`,
    `From: <sip:sender@${SENDER.ip}>;tag=a`, `To: <sip:fax@${RECEIVER.ip}>;tag=b`, `CSeq: ${cseq} ${method}`];
}

/** A response travelling to `to`, whose Via it echoes. */
function response(status: string, method: string, cseq: number, to: Side): string[] {
  return [`SIP/2.0 ${status}`, `Via: SIP/2.0/UDP ${to.ip};branch=z9hG4bK${method}${cseq}`,
    `From: <sip:sender@${SENDER.ip}>;tag=a`, `To: <sip:fax@${RECEIVER.ip}>;tag=b`, `CSeq: ${cseq} ${method}`];
}

/** DIS of the receiver: V.27ter/V.29/V.17, fine, MR, A4 215 mm, ECM when asked. */
function dis(ecm: boolean): Buffer {
  return capBits(4, [10, 11, 12, 14, 15, 16, 24, ...(ecm ? [27] : [])]);
}

/** DCS of the sender at 14400 (bits 11–14 = 0001) or 12000 (0101), fine. */
function dcs(rate: 14400 | 12000, ecm: boolean): Buffer {
  return capBits(4, [10, ...(rate === 14400 ? [14] : [12, 14]), 15, 24, ...(ecm ? [27] : [])]);
}

/** The generated capture's path. */
export function writeFaxCall(name: string, o: FaxCallOptions = {}): string {
  const ecm = o.ecm ?? false;
  const pages = o.pages ?? 2;
  const b = new Builder(o.drop ?? (() => false), o.rtp ?? false, o.mutateIfp, o.mutatePacket);
  const [S, R] = [SENDER, RECEIVER];
  b.sip(S, R, request('INVITE', 1, S, R), audio(S));
  b.sip(R, S, response('200 OK', 'INVITE', 1, S), audio(R));
  b.sip(S, R, request('ACK', 1, S, R));
  b.rtp(S, R, 5);
  // The receiving gateway hears CED/V.21 and asks for T.38.
  b.sip(R, S, request('INVITE', 2, R, S), image(R, o.rtp));
  if (o.t38 === 'refused') {
    b.sip(S, R, response('488 Not Acceptable Here', 'INVITE', 2, R));
    b.sip(R, S, request('ACK', 2, R, S));
    b.rtp(S, R, 5);
    return writeTmp(name, classicPcap({ le: true, nanosecond: false, linktype: 1 }, b.records));
  }
  b.sip(S, R, response('200 OK', 'INVITE', 2, R), image(S, o.rtp));
  b.sip(R, S, request('ACK', 2, R, S));
  if (o.t38 === 'ignored') {
    b.rtp(S, R, 80);
    b.rtp(R, S, 80);
    return writeTmp(name, classicPcap({ le: true, nanosecond: false, linktype: 1 }, b.records));
  }
  b.indicator(R, 'ced');
  b.at(3000);
  b.control(R, [hdlcFrame(FCF.CSI, identity(R.id), false, false), hdlcFrame(FCF.DIS, dis(ecm), true, false)]);
  const train = (rate: 14400 | 12000): void => {
    b.control(S, [hdlcFrame(FCF.TSI, identity(S.id), false, true), hdlcFrame(FCF.DCS, dcs(rate, ecm), true, true)]);
    const modem = rate === 14400 ? 'v17-14400' : 'v17-12000';
    b.nonEcm(S, rate === 14400 ? 'v17-14400-long-training' : 'v17-12000-long-training', modem, 8, 0);
  };
  if (o.ftt) {
    train(14400);
    b.control(R, [hdlcFrame(FCF.FTT, Buffer.alloc(0), true, false)]);
  }
  const rate = o.ftt ? 12000 : 14400;
  train(rate);
  b.control(R, [hdlcFrame(FCF.CFR, Buffer.alloc(0), true, false)]);
  const modem = rate === 14400 ? 'v17-14400' : 'v17-12000';
  const short = rate === 14400 ? 'v17-14400-short-training' : 'v17-12000-short-training';
  for (let page = 1; page <= pages; page++) {
    const last = page === pages;
    if (ecm) {
      b.ecmBlock(S, short, modem, 6);
      // PPS: FCF2 (MPS/EOP with the X bit), page counter, block counter, frames in the block less one.
      const fcf2 = (last ? FCF.EOP : FCF.MPS) | 0x80;
      b.control(S, [hdlcFrame(FCF.PPS, Buffer.from([fcf2, reverseBits(page - 1), 0, reverseBits(8)]), true, true)]);
    } else {
      b.nonEcm(S, short, modem, 12, 0x11 * page);
      b.control(S, [hdlcFrame(last ? FCF.EOP : FCF.MPS, Buffer.alloc(0), true, true)]);
    }
    b.control(R, [hdlcFrame(FCF.MCF, Buffer.alloc(0), true, false)]);
  }
  b.control(S, [hdlcFrame(FCF.DCN, Buffer.alloc(0), true, true)]);
  b.sip(S, R, request('BYE', 3, S, R));
  b.sip(R, S, response('200 OK', 'BYE', 3, S));
  return writeTmp(name, classicPcap({ le: true, nanosecond: false, linktype: 1 }, b.records));
}
