import { PCAPNG_SHB_TYPE } from './format.js';
import type { FrameOut, RecordFormat } from './pcap-file.js';
import { timeParts, type TimeParts } from './frame-time.js';

/** pcapng Decryption Secrets Block type of TLS key log text. */
export const TLS_KEY_LOG = 0x544c534b;
const MIN_BLOCK = 12;
/** Wireshark's limit; anything longer is a corrupt length field, and the reader's buffer must hold a whole block. */
const MAX_BLOCK = 16 * 1024 * 1024;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

const IDB = 1;
const OBSOLETE_PB = 2;
const SPB = 3;
const EPB = 6;
const DSB = 10;

const OPT_END = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** Converts a block's 64-bit timestamp (two 32-bit halves) to seconds + nanoseconds since the epoch. */
type TsConverter = (high: number, low: number, t: TimeParts) => void;

interface Interface {
  linktype: number;
  snaplen: number;
  toNs: TsConverter;
}

/**
 * pcapng: sections (each with its own byte order) of blocks; packets come from Enhanced,
 * Simple and obsolete Packet Blocks, each tied to an Interface Description Block that gives
 * the link type and timestamp unit. Other blocks are skipped.
 */
export class Pcapng implements RecordFormat {
  corrupt: string | undefined;
  private littleEndian = true;
  private interfaces: Interface[] = [];
  /** Simple Packet Blocks carry no time; they get the previous packet's. */
  /** The last packet's time, for Simple Packet Blocks (which carry none). */
  private readonly last: TimeParts = { sec: 0, nsec: 0 };

  parse(buf: Buffer, pos: number, end: number, base: number, out: FrameOut): number {
    while (end - pos >= MIN_BLOCK && !out.paused) {
      const size = this.blockLength(buf, pos);
      const bad = badLength(size);
      if (bad) {
        this.corrupt = bad;
        return pos;
      }
      if (end - pos < size) break;
      // A new section may switch byte order; its trailing length is already in the new one.
      if (buf.readUInt32LE(pos) === PCAPNG_SHB_TYPE) this.littleEndian = buf.readUInt32LE(pos + 8) === BYTE_ORDER_MAGIC;
      if (this.u32(buf, pos + size - 4) !== size) {
        this.corrupt = `block length ${size} at start, ${this.u32(buf, pos + size - 4)} at end`;
        return pos;
      }
      this.corrupt = this.block(buf, pos, size, base, out);
      if (this.corrupt) return pos;
      pos += size;
    }
    return pos;
  }

  recordSize(buf: Buffer, pos: number, end: number): number {
    return end - pos < MIN_BLOCK ? MIN_BLOCK : this.blockLength(buf, pos);
  }

  /** The block's total length; a Section Header announces the byte order it is written in. */
  private blockLength(buf: Buffer, pos: number): number {
    if (buf.readUInt32LE(pos) === PCAPNG_SHB_TYPE) {
      const magic = buf.readUInt32LE(pos + 8);
      if (magic === BYTE_ORDER_MAGIC) return buf.readUInt32LE(pos + 4);
      if (magic === BYTE_ORDER_MAGIC_SWAPPED) return buf.readUInt32BE(pos + 4);
      return -1;
    }
    return this.u32(buf, pos + 4);
  }

  /** Handles one complete block; returns why it is corrupt, if it is. */
  private block(buf: Buffer, pos: number, size: number, base: number, out: FrameOut): string | undefined {
    const type = this.u32(buf, pos);
    if (type === EPB || type === OBSOLETE_PB) return this.packet(buf, pos, size, type, base, out);
    if (type === SPB) return this.simplePacket(buf, pos, size, base, out);
    if (type === IDB) return this.interfaceDescription(buf, pos, size);
    if (type === DSB) return this.decryptionSecrets(buf, pos, size, out);
    if (type === PCAPNG_SHB_TYPE) return this.sectionHeader(buf, pos, size);
    return undefined;
  }

  private sectionHeader(buf: Buffer, pos: number, size: number): string | undefined {
    if (size < 28) return `section header block of ${size} bytes`;
    const major = this.u16(buf, pos + 12);
    if (major !== 1) return `pcapng version ${major}.${this.u16(buf, pos + 14)}`;
    this.interfaces = [];
    return undefined;
  }

  private interfaceDescription(buf: Buffer, pos: number, size: number): string | undefined {
    if (size < 20) return `interface description block of ${size} bytes`;
    let resolution = 6;
    let offsetSeconds = 0n;
    for (let at = pos + 16, optEnd = pos + size - 4; at + 4 <= optEnd; ) {
      const code = this.u16(buf, at);
      const len = this.u16(buf, at + 2);
      if (code === OPT_END || at + 4 + len > optEnd) break;
      if (code === IF_TSRESOL && len >= 1) resolution = buf[at + 4]!;
      if (code === IF_TSOFFSET && len === 8) offsetSeconds = this.littleEndian ? buf.readBigInt64LE(at + 4) : buf.readBigInt64BE(at + 4);
      at += 4 + ((len + 3) & ~3);
    }
    this.interfaces.push({
      linktype: this.u16(buf, pos + 8),
      snaplen: this.u32(buf, pos + 12),
      toNs: tsConverter(resolution, offsetSeconds),
    });
    return undefined;
  }

  /** Enhanced and obsolete Packet Blocks share a layout, except the interface id's width. */
  private packet(buf: Buffer, pos: number, size: number, type: number, base: number, out: FrameOut): string | undefined {
    if (size < 32) return `packet block of ${size} bytes`;
    const id = type === EPB ? this.u32(buf, pos + 8) : this.u16(buf, pos + 8);
    const iface = this.interfaces[id];
    if (!iface) return `packet block for undefined interface ${id}`;
    const caplen = this.u32(buf, pos + 20);
    if (caplen > size - 32) return `captured length ${caplen} exceeds its block of ${size} bytes`;
    const t = this.last;
    iface.toNs(this.u32(buf, pos + 12), this.u32(buf, pos + 16), t);
    const dataAt = pos + 28;
    out.emit(t.sec, t.nsec, iface.linktype, buf, dataAt, dataAt + caplen, this.u32(buf, pos + 24), base + dataAt);
    return undefined;
  }

  private decryptionSecrets(buf: Buffer, pos: number, size: number, out: FrameOut): string | undefined {
    if (size < 20) return `decryption secrets block of ${size} bytes`;
    const len = this.u32(buf, pos + 12);
    if (len > size - 20) return `secrets length ${len} exceeds its block of ${size} bytes`;
    out.secrets(this.u32(buf, pos + 8), buf.subarray(pos + 16, pos + 16 + len));
    return undefined;
  }

  private simplePacket(buf: Buffer, pos: number, size: number, base: number, out: FrameOut): string | undefined {
    if (size < 16) return `simple packet block of ${size} bytes`;
    const iface = this.interfaces[0];
    if (!iface) return 'simple packet block before any interface description';
    const origLen = this.u32(buf, pos + 8);
    // The block holds min(original length, snaplen) bytes plus padding.
    const caplen = Math.min(origLen, size - 16, iface.snaplen || Infinity);
    const dataAt = pos + 12;
    out.emit(this.last.sec, this.last.nsec, iface.linktype, buf, dataAt, dataAt + caplen, origLen, base + dataAt);
    return undefined;
  }

  private u32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private u16(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }
}

function badLength(size: number): string | undefined {
  if (size < 0) return 'section header with an unknown byte-order magic';
  if (size < MIN_BLOCK || size % 4 !== 0 || size > MAX_BLOCK) return `block length ${size}`;
  return undefined;
}

/**
 * if_tsresol is a negative power of 10, or of 2 when its top bit is set; if_tsoffset is
 * seconds to add. The usual decimal resolutions without offset (µs, ns) are split into seconds
 * and nanoseconds in doubles, exactly while the count stays below 2^52; anything else in BigInt.
 */
function tsConverter(resolution: number, offsetSeconds: bigint): TsConverter {
  const offset = offsetSeconds * 1_000_000_000n;
  const raw = (high: number, low: number): bigint => (high < 0x200000 ? BigInt(high * 0x100000000 + low) : (BigInt(high) << 32n) | BigInt(low));
  const exponent = resolution & 0x7f;
  let toNs: (high: number, low: number) => bigint;
  if (resolution & 0x80) {
    const shift = BigInt(exponent);
    toNs = (high, low) => ((raw(high, low) * 1_000_000_000n) >> shift) + offset;
  } else if (exponent <= 9) {
    const multiplier = 10n ** BigInt(9 - exponent);
    toNs = (high, low) => raw(high, low) * multiplier + offset;
    if (offset === 0n) {
      const perSecond = 10 ** exponent;
      const scale = 10 ** (9 - exponent);
      return (high, low, t) => {
        if (high >= 0x100000) return timeParts(toNs(high, low), t);
        const units = high * 0x100000000 + low;
        let sec = Math.floor(units / perSecond);
        let rest = units - sec * perSecond;
        // The division rounds: the remainder puts the seconds right.
        if (rest < 0) {
          sec--;
          rest += perSecond;
        } else if (rest >= perSecond) {
          sec++;
          rest -= perSecond;
        }
        t.sec = sec;
        t.nsec = rest * scale;
      };
    }
  } else {
    const divisor = 10n ** BigInt(exponent - 9);
    toNs = (high, low) => raw(high, low) / divisor + offset;
  }
  return (high, low, t) => timeParts(toNs(high, low), t);
}
