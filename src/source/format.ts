import { InputError } from '../model/errors.js';

/** The record formats sipscope reads (gzip around them is undone before); everything else is named in an error. */
export type CaptureFormat = 'pcap' | 'pcapng';

/** Bytes needed to tell the readable formats apart. */
export const MAGIC_LENGTH = 4;
/** Bytes looked at to name an unreadable format (text vs binary needs a sample). */
export const SNIFF_LENGTH = 512;

/** pcap magics (as read little-endian), both byte orders and both resolutions. */
const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;

/** Which readable format `head` (at least MAGIC_LENGTH bytes) starts with, or undefined. */
export function captureFormat(head: Buffer): CaptureFormat | undefined {
  const magic = head.readUInt32LE(0);
  if (PCAP_MAGICS.has(magic)) return 'pcap';
  if (magic === PCAPNG_SHB_TYPE) return 'pcapng';
  return undefined;
}

/** True when `head` starts with gzip's magic (needs GZIP_MAGIC_LENGTH bytes). */
export function isGzip(head: Buffer): boolean {
  return head.length >= GZIP_MAGIC_LENGTH && head[0] === 0x1f && head[1] === 0x8b;
}
export const GZIP_MAGIC_LENGTH = 2;

interface KnownFormat {
  magic: string;
  name: string;
  /** Whether Wireshark's editcap reads it, so converting is the advice. */
  convertible: boolean;
}

/** Formats recognisable by their first bytes; `magic` is latin1 so binary bytes can be spelled. */
const KNOWN: KnownFormat[] = [
  { magic: 'GMBU', name: 'Microsoft Network Monitor 2.x capture', convertible: true },
  { magic: 'RTSS', name: 'Microsoft Network Monitor 1.x capture', convertible: true },
  { magic: 'TRSNIFF data', name: 'Sniffer (DOS) capture', convertible: true },
  { magic: 'XCP\0', name: 'Sniffer (Windows) / NetXRay capture', convertible: true },
  { magic: 'Session Transcript', name: 'Catapult DCT2000 text trace', convertible: true },
  { magic: 'snoop\0\0\0', name: 'Solaris snoop capture', convertible: true },
  { magic: '\xa1\xb2\xcd\x34', name: 'modified (Kuznetzov) pcap capture', convertible: true },
  { magic: '\x34\xcd\xb2\xa1', name: 'modified (Kuznetzov) pcap capture', convertible: true },
  { magic: '\x1f\x8b', name: 'gzip-compressed twice; decompress it first', convertible: false },
  { magic: 'PK\x03\x04', name: 'zip archive; unpack it first', convertible: false },
  { magic: 'BZh', name: 'bzip2-compressed data; decompress it first', convertible: false },
  { magic: '\xfd7zXZ\0', name: 'xz-compressed data; decompress it first', convertible: false },
  { magic: '\x28\xb5\x2f\xfd', name: 'zstd-compressed data; decompress it first', convertible: false },
];

/**
 * The InputError for input that is not pcap, pcapng or gzip, naming what it is when
 * recognisable. `head` is up to ERF_SNIFF_LENGTH bytes from the start of the input.
 */
export function unknownFormatError(name: string, head: Buffer): InputError {
  const known = KNOWN.find((k) => head.length >= k.magic.length && head.toString('latin1', 0, k.magic.length) === k.magic);
  if (known) {
    const advice = known.convertible ? `; convert it with: editcap -F pcap ${name} out.pcap` : '';
    return new InputError(`${name}: not a pcap or pcapng file (${known.name})${advice}`);
  }
  if (looksLikeText(head.subarray(0, SNIFF_LENGTH))) return new InputError(`${name}: not a pcap or pcapng file (plain text)`);
  if (looksLikeErf(head)) {
    return new InputError(`${name}: not a pcap or pcapng file (probably an Endace ERF capture); convert it with: editcap -F pcap ${name} out.pcap`);
  }
  return new InputError(`${name}: not a pcap or pcapng file (unknown binary data starting ${head.toString('hex', 0, 4)})`);
}

/** Mostly printable: at most 5% of the sample decodes to control characters or invalid UTF-8. */
function looksLikeText(head: Buffer): boolean {
  const text = head.toString('utf8');
  const unprintable = text.match(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]/g)?.length ?? 0;
  return text.length > 0 && unprintable <= text.length * 0.05;
}

/** 1990-01-01 and 2100-01-01 in seconds: the range a real capture's clock falls in. */
const EARLIEST_SECONDS = 631152000;
const LATEST_SECONDS = 4102444800;

/** Bytes looked at to tell an ERF capture from random binary data (it has no magic, so several records are checked). */
export const ERF_SNIFF_LENGTH = 64 * 1024;
/** Records that must read back to back before a file is called ERF (fewer only when the whole input is that short). */
const ERF_RECORDS = 3;
/** Consecutive records of a real capture lie within a day of each other. */
const ERF_SPREAD_SECONDS = 86400;

/**
 * ERF has no magic: each record header starts with a little-endian fixed-point timestamp
 * (plausible seconds in the high half), a record type in the known range and a record length
 * of at least the header. Random bytes pass that for one record often, so the guess needs
 * ERF_RECORDS records read back to back (or all records of an input that ends sooner, ending
 * exactly at its end), all within a day of the first.
 */
function looksLikeErf(head: Buffer): boolean {
  let first = -1;
  let records = 0;
  let at = 0;
  while (records < ERF_RECORDS) {
    if (head.length === at && records > 0) return true;
    if (head.length < at + 16) return false;
    const seconds = head.readUInt32LE(at + 4);
    const type = head[at + 8]! & 0x7f;
    const rlen = head.readUInt16BE(at + 10);
    if (seconds < EARLIEST_SECONDS || seconds >= LATEST_SECONDS || type < 1 || type > 48 || rlen < 16) return false;
    if (first < 0) first = seconds;
    else if (Math.abs(seconds - first) > ERF_SPREAD_SECONDS) return false;
    records++;
    at += rlen;
  }
  return true;
}
