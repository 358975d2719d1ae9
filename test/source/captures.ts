// Helpers for source and sink tests: the shared sample captures, collecting frames, temp
// files, and builders for small pcap / pcapng files with chosen byte order and time units.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, FrameSource, SourceEnd } from '../../src/model/frame.js';

import { sharedPcap as samplePath } from '../support/shared-pcaps.js';
import { keptFrame } from '../../src/source/file-frame.js';

export { samplePath };

/** MANIFEST.tsv / EXPECTED.tsv as objects keyed by their header row. */
export function readTsv(name: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(samplePath(name), 'utf8').trimEnd().split('\n');
  const keys = header!.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [keys[i], v])));
}

/** A frame whose bytes were copied out of the callback. */
export type KeptFrame = Omit<Frame, 'data'> & { data: Buffer };

export async function collect(source: FrameSource): Promise<{ frames: KeptFrame[]; end: SourceEnd }> {
  const frames: KeptFrame[] = [];
  const end = await source.start({ frame: (f) => frames.push(keptFrame(f)) });
  return { frames, end };
}

let tmpDir: string | undefined;
export function tmpPath(name: string): string {
  tmpDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sipscope-test-'));
  return path.join(tmpDir, name);
}

export function writeTmp(name: string, bytes: Buffer): string {
  const p = tmpPath(name);
  fs.writeFileSync(p, bytes);
  return p;
}

/** Reads 32-bit words in one byte order, so one builder serves both. */
function u32(value: number, le: boolean): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(value);
  else b.writeUInt32BE(value);
  return b;
}

function u16(value: number, le: boolean): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(value);
  else b.writeUInt16BE(value);
  return b;
}

export interface PcapRecord {
  sec: number;
  /** Microseconds, or nanoseconds in a nanosecond file. */
  frac: number;
  data: Buffer;
}

export function classicPcap(opts: { le: boolean; nanosecond: boolean; linktype: number }, records: PcapRecord[]): Buffer {
  const { le } = opts;
  const header = Buffer.concat([
    u32(opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, le),
    u16(2, le),
    u16(4, le),
    u32(0, le),
    u32(0, le),
    u32(65535, le),
    u32(opts.linktype, le),
  ]);
  const body = records.map((r) => Buffer.concat([u32(r.sec, le), u32(r.frac, le), u32(r.data.length, le), u32(r.data.length, le), r.data]));
  return Buffer.concat([header, ...body]);
}

/** A pcapng block: type, total length, body padded to 4 bytes, total length. */
export function block(type: number, body: Buffer, le: boolean): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const length = padded.length + 12;
  return Buffer.concat([u32(type, le), u32(length, le), padded, u32(length, le)]);
}

export function sectionHeader(le: boolean): Buffer {
  const sectionLength = Buffer.alloc(8, 0xff);
  return block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d, le), u16(1, le), u16(0, le), sectionLength]), le);
}

export function option(code: number, value: Buffer, le: boolean): Buffer {
  const padded = Buffer.concat([value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  return Buffer.concat([u16(code, le), u16(value.length, le), padded]);
}

export function interfaceBlock(linktype: number, le: boolean, options: Buffer[] = []): Buffer {
  const opts = options.length > 0 ? [...options, Buffer.alloc(4)] : [];
  return block(1, Buffer.concat([u16(linktype, le), u16(0, le), u32(65535, le), ...opts]), le);
}

/** Enhanced (type 6) or obsolete (type 2, 16-bit interface id and drop count) Packet Block. */
export function packetBlock(type: 6 | 2, iface: number, raw: bigint, data: Buffer, le: boolean): Buffer {
  const id = type === 6 ? u32(iface, le) : Buffer.concat([u16(iface, le), u16(0, le)]);
  const ts = Buffer.concat([u32(Number(raw >> 32n), le), u32(Number(raw & 0xffffffffn), le)]);
  return block(type, Buffer.concat([id, ts, u32(data.length, le), u32(data.length + 4, le), data]), le);
}

export function simplePacketBlock(data: Buffer, le: boolean): Buffer {
  return block(3, Buffer.concat([u32(data.length, le), data]), le);
}
