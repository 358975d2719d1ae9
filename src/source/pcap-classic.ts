import type { FrameOut, RecordFormat } from './pcap-file.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/** Larger captured lengths are what libpcap and Wireshark treat as a corrupt file. */
export const MAX_CAPLEN = 262144;

/** Magics as read little-endian: which byte order and fraction unit a file uses. */
const MAGIC_LE_MICRO = 0xa1b2c3d4;
const MAGIC_LE_NANO = 0xa1b23c4d;
const MAGIC_BE_NANO = 0x4d3cb2a1;

/** Classic libpcap files: a 24-byte header, then 16-byte record headers each followed by the bytes. */
export class ClassicPcap implements RecordFormat {
  corrupt: string | undefined;
  private headerRead = false;
  private littleEndian = true;
  private nanosecond = false;
  private linktype = 0;

  parse(buf: Buffer, pos: number, end: number, base: number, out: FrameOut): number {
    if (!this.headerRead) {
      if (end - pos < FILE_HEADER) return pos;
      this.readHeader(buf, pos);
      pos += FILE_HEADER;
    }
    const le = this.littleEndian;
    const nanosecond = this.nanosecond;
    const linktype = this.linktype;
    while (end - pos >= RECORD_HEADER && !out.paused) {
      const caplen = u32(buf, pos + 8, le);
      if (caplen > MAX_CAPLEN) {
        this.corrupt = `captured length ${caplen} exceeds ${MAX_CAPLEN}`;
        return pos;
      }
      const dataAt = pos + RECORD_HEADER;
      if (end - dataAt < caplen) break;
      const sec = u32(buf, pos, le);
      const frac = u32(buf, pos + 4, le);
      const origLen = u32(buf, pos + 12, le);
      // A fraction of a second or more (a broken writer's) carries into the seconds, as ns arithmetic would.
      const unit = nanosecond ? 1e9 : 1e6;
      const carry = frac >= unit ? Math.floor(frac / unit) : 0;
      const nsec = nanosecond ? frac - carry * unit : (frac - carry * unit) * 1000;
      out.emit(sec + carry, nsec, linktype, buf, dataAt, dataAt + caplen, origLen, base + dataAt);
      pos = dataAt + caplen;
    }
    return pos;
  }

  recordSize(buf: Buffer, pos: number, end: number): number {
    if (!this.headerRead) return FILE_HEADER;
    if (end - pos < RECORD_HEADER) return RECORD_HEADER;
    return RECORD_HEADER + u32(buf, pos + 8, this.littleEndian);
  }

  private readHeader(buf: Buffer, pos: number): void {
    const magic = buf.readUInt32LE(pos);
    this.littleEndian = magic === MAGIC_LE_MICRO || magic === MAGIC_LE_NANO;
    this.nanosecond = magic === MAGIC_LE_NANO || magic === MAGIC_BE_NANO;
    // The upper 16 bits of the link-type field carry FCS-length flags, not the type.
    this.linktype = (this.littleEndian ? buf.readUInt32LE(pos + 20) : buf.readUInt32BE(pos + 20)) & 0xffff;
    this.headerRead = true;
  }
}

/**
 * A record header field, read by hand: Buffer's readUInt32LE/BE check their arguments on every
 * call, which cost as much as the rest of the record loop (callers have checked the bounds).
 */
function u32(buf: Buffer, at: number, littleEndian: boolean): number {
  return littleEndian
    ? (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0
    : ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
