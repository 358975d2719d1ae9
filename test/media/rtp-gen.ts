// Building blocks for generated RTP captures: SIP with SDP, RTP, RTCP SR/RR/XR as bytes.

export interface Host {
  ip: string;
  ip32: number;
  port: number;
}

export function host(ip: string, port: number): Host {
  const [a = 0, b = 0, c = 0, d = 0] = ip.split('.').map(Number);
  return { ip, ip32: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0, port };
}

/** An RTP packet: 12-byte header and `payload` bytes of 0xd5 (A-law silence) unless given. */
export function rtp(o: { seq: number; ts: number; ssrc: number; pt: number; marker?: boolean; payload?: Buffer | number }): Buffer {
  const payload = Buffer.isBuffer(o.payload) ? o.payload : Buffer.alloc(o.payload ?? 160, 0xd5);
  const b = Buffer.alloc(12 + payload.length);
  b[0] = 0x80;
  b[1] = (o.marker ? 0x80 : 0) | o.pt;
  b.writeUInt16BE(o.seq & 0xffff, 2);
  b.writeUInt32BE(o.ts >>> 0, 4);
  b.writeUInt32BE(o.ssrc >>> 0, 8);
  payload.copy(b, 12);
  return b;
}

/** RFC 4733 telephone-event payload. */
export function telephoneEvent(event: number, end: boolean, volume: number, duration: number): Buffer {
  return Buffer.from([event, (end ? 0x80 : 0) | volume, duration >> 8, duration & 0xff]);
}

/** RTCP SR without report blocks; ntpMiddle is what a later LSR echoes. */
export function rtcpSr(ssrc: number, ntpMiddle: number): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc, 4);
  b.writeUInt32BE(ntpMiddle >>> 16, 8);
  b.writeUInt32BE((ntpMiddle << 16) >>> 0, 12);
  return b;
}

/** RTCP RR with one report block about `source`, followed by an XR VoIP metrics block. */
export function rtcpRrXr(reporter: number, source: number, r: { fraction: number; cumulative: number; jitter: number; lsr: number; dlsr: number; rFactor: number; mosLq: number; mosCq: number }): Buffer {
  const rr = Buffer.alloc(32);
  rr[0] = 0x81;
  rr[1] = 201;
  rr.writeUInt16BE(7, 2);
  rr.writeUInt32BE(reporter, 4);
  rr.writeUInt32BE(source, 8);
  rr[12] = r.fraction;
  rr.writeIntBE(r.cumulative, 13, 3);
  rr.writeUInt32BE(r.jitter, 20);
  rr.writeUInt32BE(r.lsr, 24);
  rr.writeUInt32BE(r.dlsr, 28);
  const xr = Buffer.alloc(8 + 36);
  xr[0] = 0x80;
  xr[1] = 207;
  xr.writeUInt16BE(xr.length / 4 - 1, 2);
  xr.writeUInt32BE(reporter, 4);
  xr[8] = 7;
  xr.writeUInt16BE(8, 10);
  xr.writeUInt32BE(source, 12);
  xr[16] = 5; // loss rate 5/256
  xr.writeUInt16BE(60, 24); // round trip 60 ms
  xr[32] = r.rFactor;
  xr[34] = r.mosLq;
  xr[35] = r.mosCq;
  return Buffer.concat([rr, xr]);
}

export function sdp(ip: string, port: number, rtpmap: string[] = [], formats = '8'): string {
  return ['v=0', `o=- 1 1 IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0', `m=audio ${port} RTP/AVP ${formats}`, ...rtpmap, ''].join('\r\n');
}

/** A SIP request or response with an optional body. */
export function sip(startLine: string, callId: string, cseq: string, from: Host, to: Host, body = '', contentType = 'application/sdp'): string {
  const headers = [
    startLine,
    `Via: SIP/2.0/UDP ${from.ip}:${from.port};branch=z9hG4bK${cseq.replace(/\D/g, '')}${callId.length}`,
    `From: <sip:alice@${from.ip}>;tag=a1`,
    `To: <sip:bob@${to.ip}>`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    ...(body !== '' ? [`Content-Type: ${contentType}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}
