import { writeFileSync } from 'node:fs';

/** The hostile bytes: an OSC title change, a screen clear, a C1 CSI (as UTF-8 and as a raw byte), a bidi override. */
export const HOSTILE_DISPLAY = 'Mallory\x1b]0;pwned\x07\x1b[2J';

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One Ethernet/IPv4/UDP frame carrying `payload` from 10.1.1.1:5060 to 10.2.2.2:5060. */
function udpFrame(payload: Buffer, reverse: boolean): Buffer {
  const eth = Buffer.from('0000000000020000000000010800', 'hex');
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(17, 9);
  Buffer.from(reverse ? [10, 2, 2, 2] : [10, 1, 1, 1]).copy(ip, 12);
  Buffer.from(reverse ? [10, 1, 1, 1] : [10, 2, 2, 2]).copy(ip, 16);
  ip.writeUInt16BE(ipChecksum(ip), 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(5060, 0);
  udp.writeUInt16BE(5060, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([eth, ip, udp, payload]);
}

function sip(lines: string[], extra: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n'), extra, Buffer.from('\r\n')]);
}

/** A classic pcap with an INVITE and its 486 whose headers try to take over the terminal. */
export function writeHostilePcap(path: string): void {
  const common = [
    `From: "${HOSTILE_DISPLAY}" <sip:mallory@evil.example>;tag=1`,
    'To: <sip:alice@example.com>',
    'Call-ID: hostile-1@evil.example',
    'Subject: \x1b[31mred\x1b[0m \u202egnp.exe\u202c \u009b2J',
  ];
  const invite = sip(['INVITE sip:alice@example.com SIP/2.0', 'Via: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bK1', ...common, 'CSeq: 1 INVITE', 'Content-Length: 0'],
    Buffer.from([0x58, 0x2d, 0x52, 0x61, 0x77, 0x3a, 0x20, 0x9b, 0x32, 0x4a, 0x0d, 0x0a])); // "X-Raw: " + C1 CSI as a bare byte
  const busy = sip(['SIP/2.0 486 Busy \x1b]0;owned\x07Here', 'Via: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bK1', ...common, 'CSeq: 1 INVITE', 'Content-Length: 0']);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = [invite, busy].map((payload, i) => {
    const frame = udpFrame(payload, i === 1);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(250_000 * i, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  writeFileSync(path, Buffer.concat([header, ...records]));
}
