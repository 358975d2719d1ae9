/**
 * Generated calls for the rule tests: a few lines per message, rendered to real SIP, fed through the
 * real store and engine (or written to a pcap for the CLI tests).
 */
import type { Datagram } from '../../src/model/datagram.js';
import type { Finding } from '../../src/model/finding.js';
import type { DialogId } from '../../src/model/ids.js';
import { Store } from '../../src/store/store.js';
import { Diagnosis } from '../../src/diagnose/engine.js';
import { PcapWriter } from '../../src/sink/pcap-writer.js';
import { synthFrame, SYNTH_LINKTYPE } from '../../src/sink/synth-frame.js';
import { parseOptions, withSettings } from '../../src/cli/options.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { defaultSettings } from '../../src/config/settings.js';
import { openFile } from '../../src/source/file-source.js';

export interface Party {
  ip: string;
  port: number;
  user: string;
}

export const ALICE: Party = { ip: '10.1.1.10', port: 5060, user: '+4930123456' };
export const BOB: Party = { ip: '10.2.2.20', port: 5060, user: '4989654321' };

export interface Msg {
  /** ms after the start. */
  at: number;
  from: Party;
  to: Party;
  /** "INVITE 1" (method and CSeq) or "200 1 INVITE" (status, CSeq number, CSeq method). */
  line: string;
  headers?: string[];
  sdp?: string;
  /** Packet source, when it is not the sender's own address (a NAT). */
  via?: { ip: string; port: number };
}

const PHRASES: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 480: 'Temporarily Unavailable',
  482: 'Loop Detected', 483: 'Too Many Hops', 486: 'Busy Here', 487: 'Request Terminated', 488: 'Not Acceptable Here',
  500: 'Server Internal Error', 503: 'Service Unavailable', 603: 'Decline', 420: 'Bad Extension',
};

export function sdp(ip: string, port: number, codecs: string): string {
  const pts = codecs.split(' ');
  const maps = pts.map((pt) => ({ 0: 'PCMU/8000', 8: 'PCMA/8000', 18: 'G729/8000', 9: 'G722/8000', 101: 'telephone-event/8000' } as Record<string, string>)[pt])
    .map((m, i) => (m ? `a=rtpmap:${pts[i]} ${m}\r\n` : '')).join('');
  return `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${port} RTP/AVP ${codecs}\r\n${maps}a=sendrecv\r\n`;
}

/** The SIP text of one message of call `callId` (the caller is whoever sends the first request). */
export function render(m: Msg, callId: string, caller: Party, callee: Party): Buffer {
  const words = m.line.split(' ');
  const isResponse = /^\d{3}$/.test(words[0]);
  const body = m.sdp ?? '';
  const start = isResponse
    ? `SIP/2.0 ${words[0]} ${PHRASES[Number(words[0])] ?? 'Whatever'}`
    : `${words[0]} sip:${callee.user}@${callee.ip}:${callee.port} SIP/2.0`;
  const cseq = isResponse ? `${words[1]} ${words[2]}` : `${words[1]} ${words[0]}`;
  const lines = [
    start,
    `Via: SIP/2.0/UDP ${caller.ip}:${caller.port};branch=z9hG4bK-${callId}-${cseq.replace(' ', '-')}`,
    `From: <sip:${caller.user}@${caller.ip}>;tag=a1`,
    `To: <sip:${callee.user}@${callee.ip}>${isResponse || words[0] !== 'INVITE' ? ';tag=b2' : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    `Contact: <sip:${m.from.user}@${m.from.ip}:${m.from.port}>`,
    ...(m.headers ?? []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

const T0 = 1_750_000_000_000_000_000n;

/** 20 ms RTP packets from one SDP endpoint to another (G.711, 160 bytes of payload). */
export interface RtpFlow {
  from: { ip: string; port: number };
  to: { ip: string; port: number };
  startMs: number;
  count: number;
  /** Every n-th packet is not sent (loss). */
  dropEvery?: number;
  ssrc?: number;
}

export interface Call {
  callId: string;
  msgs: Msg[];
  rtp?: RtpFlow[];
}

function rtpPacket(seq: number, ts: number, ssrc: number): Buffer {
  const b = Buffer.alloc(12 + 160, 0xd5);
  b[0] = 0x80;
  b[1] = 8;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  return b;
}

export function datagrams(calls: readonly Call[]): Datagram[] {
  const out: (Datagram & { order: number })[] = [];
  let order = 0;
  for (const c of calls) {
    const caller = c.msgs[0].from;
    const callee = c.msgs[0].to;
    for (const m of c.msgs) {
      const src = m.via ?? m.from;
      out.push({
        order: order++, frame: 0, ts: T0 + BigInt(Math.round(m.at * 1000)) * 1000n, src: src.ip, sport: src.port,
        dst: m.to.ip, dport: m.to.port, transport: 'UDP', payload: render(m, c.callId, caller, callee), fileOffset: -1,
      });
    }
    for (const f of c.rtp ?? []) {
      for (let k = 0; k < f.count; k++) {
        if (f.dropEvery && k % f.dropEvery === f.dropEvery - 1) continue;
        out.push({
          order: order++, frame: 0, ts: T0 + BigInt(Math.round((f.startMs + 20 * k) * 1000)) * 1000n, src: f.from.ip, sport: f.from.port,
          dst: f.to.ip, dport: f.to.port, transport: 'UDP', payload: rtpPacket(k, k * 160, f.ssrc ?? 0x1234), fileOffset: -1,
        });
      }
    }
  }
  out.sort((a, b) => (a.ts === b.ts ? a.order - b.order : a.ts < b.ts ? -1 : 1));
  return out.map((d, i) => ({ ...d, frame: i + 1 }));
}

/** Loads the calls into a store, runs the rules to the end of input and returns each call's findings. */
export function diagnose(calls: readonly Call[], thresholds?: ConstructorParameters<typeof Diagnosis>[1]): Finding[][] {
  const store = new Store();
  const diagnosis = new Diagnosis(store, thresholds);
  for (const d of datagrams(calls)) store.addDatagram(d);
  diagnosis.finish();
  return calls.map((_, i) => [...store.findings(i as DialogId)]);
}

/** Writes the calls as a pcap (raw IP) for the CLI tests. */
export function writePcap(path: string, calls: readonly Call[]): void {
  const w = PcapWriter.open(path, SYNTH_LINKTYPE, { nanosecond: true });
  for (const d of datagrams(calls)) {
    const f = synthFrame(d);
    w.write({ ts: d.ts, data: f.data, origLen: f.data.length });
  }
  w.close();
}

/** An ordinary answered call: INVITE / 100 / 180 / 200 / ACK / BYE / 200, with SDP. */
export function basicCall(callId: string, over: { answerCodecs?: string; offerCodecs?: string } = {}): Call {
  return {
    callId,
    msgs: [
      { at: 0, from: ALICE, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, over.offerCodecs ?? '0 8 101') },
      { at: 20, from: BOB, to: ALICE, line: '100 1 INVITE' },
      { at: 300, from: BOB, to: ALICE, line: '180 1 INVITE' },
      { at: 3000, from: BOB, to: ALICE, line: '200 1 INVITE', sdp: sdp(BOB.ip, 5000, over.answerCodecs ?? '8 101') },
      { at: 3010, from: ALICE, to: BOB, line: 'ACK 1' },
      { at: 60000, from: ALICE, to: BOB, line: 'BYE 2' },
      { at: 60010, from: BOB, to: ALICE, line: '200 2 BYE' },
    ],
  };
}

export function codes(list: readonly Finding[]): string[] {
  return list.map((f) => `${f.severity}:${f.code}`);
}

/** Findings of every dialog of a capture file, read by the real pipeline (media plane and fax store included). */
export async function fileFindings(path: string): Promise<{ callId: string; findings: readonly Finding[] }[]> {
  const pipeline = new Pipeline(openFile(path), withSettings(parseOptions(['-N', '-I', path]), defaultSettings()));
  await pipeline.run();
  pipeline.diagnosis.finish();
  const store = pipeline.store;
  const out = [];
  for (let k = 0; k < store.dialogCount(); k++) {
    const id = (store.firstId + k) as DialogId;
    out.push({ callId: store.dialog(id)!.callId, findings: store.findings(id) });
  }
  pipeline.close();
  return out;
}
