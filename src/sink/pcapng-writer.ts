import { MAX_CAPLEN } from '../source/pcap-classic.js';
import { CaptureFileOutput, type CaptureWriter, type WritableFrame } from './pcap-writer.js';

const SHB_TYPE = 0x0a0d0d0a;
const IDB_TYPE = 1;
const EPB_TYPE = 6;
const DSB_TYPE = 10;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IF_TSRESOL = 9;
/** if_tsresol value: timestamps in 10^-9 s, so a Frame's ns time is stored as is. */
const NANOSECONDS = 9;
const EPB_OVERHEAD = 32;

/**
 * Writes a little-endian pcapng file with nanosecond timestamps. It can hold frames of
 * several link types: an Interface Description Block is added the first time each one is
 * seen (the one given to open() comes first).
 */
export class PcapngWriter implements CaptureWriter {
  private written = 0;
  /** Link type → interface id. */
  private readonly interfaces: Map<number, number>;

  private constructor(
    private readonly out: CaptureFileOutput,
    readonly linktype: number,
    private readonly snaplen: number,
  ) {
    this.interfaces = new Map([[linktype, 0]]);
  }

  /** Creates (or truncates) path and writes the section header and first interface. Throws InputError when that fails. */
  static open(path: string, linktype: number, opts: { snaplen?: number } = {}): PcapngWriter {
    const snaplen = opts.snaplen ?? MAX_CAPLEN;
    const header = Buffer.concat([sectionHeader(), interfaceDescription(linktype, snaplen)]);
    return new PcapngWriter(new CaptureFileOutput(path, header), linktype, snaplen);
  }

  get path(): string {
    return this.out.path;
  }

  get packets(): number {
    return this.written;
  }

  get error(): string | undefined {
    return this.out.error;
  }

  write(frame: WritableFrame): void {
    const id = this.interfaceFor(frame.linktype ?? this.linktype);
    if (id === undefined) return;
    const caplen = Math.min(frame.data.length, this.snaplen);
    const length = EPB_OVERHEAD + ((caplen + 3) & ~3);
    const block = Buffer.alloc(length);
    const ts = BigInt.asUintN(64, frame.ts);
    block.writeUInt32LE(EPB_TYPE, 0);
    block.writeUInt32LE(length, 4);
    block.writeUInt32LE(id, 8);
    block.writeUInt32LE(Number(ts >> 32n), 12);
    block.writeUInt32LE(Number(ts & 0xffffffffn), 16);
    block.writeUInt32LE(caplen, 20);
    block.writeUInt32LE(frame.origLen, 24);
    frame.data.copy(block, 28, 0, caplen);
    block.writeUInt32LE(length, length - 4);
    if (this.out.append(block)) this.written++;
  }

  /** A Decryption Secrets Block (e.g. TLS key log text), for the frames written after it. */
  writeSecrets(type: number, text: string): void {
    const data = Buffer.from(text, 'latin1');
    const length = 20 + ((data.length + 3) & ~3);
    const block = Buffer.alloc(length);
    block.writeUInt32LE(DSB_TYPE, 0);
    block.writeUInt32LE(length, 4);
    block.writeUInt32LE(type, 8);
    block.writeUInt32LE(data.length, 12);
    data.copy(block, 16);
    block.writeUInt32LE(length, length - 4);
    this.out.append(block);
  }

  close(): void {
    this.out.close();
  }

  /** The interface id for a link type, describing it first if new; undefined when that write failed. */
  private interfaceFor(linktype: number): number | undefined {
    const known = this.interfaces.get(linktype);
    if (known !== undefined) return known;
    if (!this.out.append(interfaceDescription(linktype, this.snaplen))) return undefined;
    const id = this.interfaces.size;
    this.interfaces.set(linktype, id);
    return id;
  }
}

function sectionHeader(): Buffer {
  const block = Buffer.alloc(28);
  block.writeUInt32LE(SHB_TYPE, 0);
  block.writeUInt32LE(28, 4);
  block.writeUInt32LE(BYTE_ORDER_MAGIC, 8);
  block.writeUInt16LE(1, 12);
  block.writeUInt16LE(0, 14);
  block.writeBigInt64LE(-1n, 16); // section length unknown
  block.writeUInt32LE(28, 24);
  return block;
}

function interfaceDescription(linktype: number, snaplen: number): Buffer {
  const block = Buffer.alloc(32);
  block.writeUInt32LE(IDB_TYPE, 0);
  block.writeUInt32LE(32, 4);
  block.writeUInt16LE(linktype, 8);
  block.writeUInt32LE(snaplen, 12);
  block.writeUInt16LE(IF_TSRESOL, 16);
  block.writeUInt16LE(1, 18);
  block[20] = NANOSECONDS;
  // bytes 21-23 pad the option, 24-27 are opt_endofopt: all zero from alloc
  block.writeUInt32LE(32, 28);
  return block;
}
