import { closeSync, openSync, writeSync } from 'node:fs';
import type { Endpoint } from './population.js';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262144;
const RECORD_HEADER = 16;
const ETH = 14;
const IP4 = 20;
const UDP = 8;
const HEADERS = RECORD_HEADER + ETH + IP4 + UDP;
/** Largest UDP payload in one 1500-byte Ethernet frame: the generator never needs IP fragmentation. */
export const MAX_PAYLOAD = 1500 - IP4 - UDP;
const CHUNK = 8 << 20;
/** DSCP CS3, which SIP equipment commonly marks signalling with. */
const TOS_SIGNALLING = 0x60;

/**
 * Classic little-endian microsecond pcap of Ethernet/IPv4/UDP frames, filled into one large Buffer
 * and flushed with a single fd so writing 440 MB costs a few dozen syscalls.
 */
export class PcapOut {
  private readonly fd: number;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private ipId = 0;
  bytes = 0;
  packets = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    const header = this.chunk;
    header.writeUInt32LE(PCAP_MAGIC_US, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeInt32LE(0, 8);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(SNAPLEN, 16);
    header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    this.pos = 24;
  }

  /** One UDP datagram carrying `payload` (ASCII text or bytes) at `tsMicros` since the epoch. */
  udp(tsMicros: number, src: Pick<Endpoint, 'ip32' | 'port'>, dst: Pick<Endpoint, 'ip32' | 'port'>, payload: string | Buffer): void {
    if (this.pos + HEADERS + MAX_PAYLOAD > CHUNK) this.flush();
    const buf = this.chunk;
    const at = this.pos;
    const length = typeof payload === 'string' ? buf.write(payload, at + HEADERS, 'latin1') : payload.copy(buf, at + HEADERS);
    if (length !== payload.length || length > MAX_PAYLOAD) {
      throw new Error(`bench generator: SIP message of ${payload.length} bytes does not fit one UDP/IPv4 frame`);
    }
    const frameLength = ETH + IP4 + UDP + length;
    buf.writeUInt32LE(Math.floor(tsMicros / 1e6), at);
    buf.writeUInt32LE(tsMicros % 1e6, at + 4);
    buf.writeUInt32LE(frameLength, at + 8);
    buf.writeUInt32LE(frameLength, at + 12);

    const eth = at + RECORD_HEADER;
    writeMac(buf, eth, dst.ip32);
    writeMac(buf, eth + 6, src.ip32);
    buf.writeUInt16BE(0x0800, eth + 12);

    const ip = eth + ETH;
    buf.writeUInt16BE(0x4500 | TOS_SIGNALLING, ip);
    buf.writeUInt16BE(IP4 + UDP + length, ip + 2);
    buf.writeUInt16BE(this.ipId = (this.ipId + 1) & 0xffff, ip + 4);
    buf.writeUInt16BE(0x4000, ip + 6); // don't fragment
    buf.writeUInt16BE(0x4011, ip + 8); // TTL 64, UDP
    buf.writeUInt16BE(0, ip + 10);
    buf.writeUInt32BE(src.ip32, ip + 12);
    buf.writeUInt32BE(dst.ip32, ip + 16);
    buf.writeUInt16BE(ipChecksum(buf, ip), ip + 10);

    const udp = ip + IP4;
    buf.writeUInt16BE(src.port, udp);
    buf.writeUInt16BE(dst.port, udp + 2);
    buf.writeUInt16BE(UDP + length, udp + 4);
    buf.writeUInt16BE(0, udp + 6); // no checksum, as with NIC offload

    this.pos = udp + UDP + length;
    this.packets++;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    let done = 0;
    while (done < this.pos) done += writeSync(this.fd, this.chunk, done, this.pos - done);
    this.bytes += this.pos;
    this.pos = 0;
  }
}

/** Locally administered MAC derived from the IPv4 address, so each host keeps one MAC. */
function writeMac(buf: Buffer, at: number, ip32: number): void {
  buf.writeUInt16BE(0x0250, at);
  buf.writeUInt32BE(ip32, at + 2);
}

function ipChecksum(buf: Buffer, at: number): number {
  let sum = 0;
  for (let i = 0; i < IP4; i += 2) sum += buf.readUInt16BE(at + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
