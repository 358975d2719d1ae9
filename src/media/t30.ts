/**
 * T.30 control frames as T.38 carries them: HDLC address 0xff, control 0xc0 (0xc8 on the last
 * frame of a command), the facsimile control field and its information field, without flags and
 * without the FCS (the gateway says hdlc-fcs-OK or -BAD instead). T.38 sends each octet first
 * bit first in the most significant position, so T.30 bit 1 of an octet is 0x80 here and FCF
 * values read as T.30's tables print them (DCS X1000001 → 0x41, X the top bit).
 */

/**
 * FCF → name. Frames whose low seven bits are 0x01–0x0f use the top bit to tell answer from
 * poll (DIS 0x01 / DTC 0x81); everywhere else the top bit is the X bit and is masked.
 */
const FCF: ReadonlyMap<number, string> = new Map([
  [0x01, 'DIS'], [0x02, 'CSI'], [0x04, 'NSF'],
  [0x81, 'DTC'], [0x82, 'CIG'], [0x84, 'NSC'], [0x83, 'PWD'], [0x85, 'SEP'], [0x86, 'PSA'], [0x87, 'CIA'], [0x88, 'ISP'],
  [0x41, 'DCS'], [0x42, 'TSI'], [0x44, 'NSS'], [0x43, 'SUB'], [0x45, 'SID'], [0x46, 'TSA'], [0x47, 'IRA'],
  [0x21, 'CFR'], [0x22, 'FTT'], [0x24, 'CSA'],
  [0x71, 'EOM'], [0x72, 'MPS'], [0x74, 'EOP'], [0x79, 'PRI-EOM'], [0x7a, 'PRI-MPS'], [0x7c, 'PRI-EOP'],
  [0x7d, 'PPS'], [0x73, 'EOR'], [0x76, 'RR'],
  [0x31, 'MCF'], [0x33, 'RTP'], [0x32, 'RTN'], [0x35, 'PIP'], [0x34, 'PIN'], [0x3d, 'PPR'], [0x37, 'RNR'], [0x38, 'ERR'],
  [0x3f, 'FDM'],
  [0x5f, 'DCN'], [0x58, 'CRP'], [0x53, 'FNV'], [0x57, 'TNR'], [0x56, 'TR'],
  [0x48, 'CTC'], [0x23, 'CTR'], [0x60, 'FCD'], [0x61, 'RCP'],
]);

/** Post-message commands PPS and EOR name the command they stand for in their second FCF. */
const FCF2: ReadonlyMap<number, string> = new Map([
  [0x00, 'NULL'], [0x71, 'EOM'], [0x72, 'MPS'], [0x74, 'EOP'], [0x79, 'PRI-EOM'], [0x7a, 'PRI-MPS'], [0x7c, 'PRI-EOP'],
]);

/** The FCF name of an octet, or `FCF 0xNN` for one T.30 does not define. */
export function fcfName(octet: number): string {
  const full = FCF.get(octet);
  if ((octet & 0x70) === 0 && full) return full;
  return FCF.get(octet & 0x7f) ?? `FCF 0x${octet.toString(16).padStart(2, '0')}`;
}

/** Capabilities of DIS/DTC (what a terminal can do) or DCS (what the sender chose). */
export interface FaxCaps {
  /** DCS: the chosen rate in bit/s; DIS/DTC: the fastest offered. */
  rate: number;
  /** DIS/DTC: the modems offered ("V.27ter", "V.29", "V.17"); DCS: the one chosen. */
  modems: string[];
  resolution: 'standard' | 'fine' | 'superfine' | 'ultrafine';
  ecm: boolean;
  /** Scan line width in mm (the widest one for DIS). */
  width: number;
  /** 'A4', 'B4' or 'unlimited' (the longest one for DIS). */
  length: string;
  /** 'MH', 'MR', 'MMR' (the best one for DIS), '+JPEG' when offered. */
  coding: string;
  /** Real-time Internet fax (T.38) capability, bit 3. */
  t38: boolean;
}

/** T.30 bit n (1-based, Table 2) of an information field. */
function bit(fif: Buffer, n: number): boolean {
  const octet = fif[(n - 1) >> 3];
  return octet !== undefined && (octet & (0x80 >> ((n - 1) & 7))) !== 0;
}

/** DCS bits 11–14 (in that order) → modem and rate. */
const DCS_RATES: ReadonlyMap<string, [string, number]> = new Map([
  ['0000', ['V.27ter', 2400]], ['0100', ['V.27ter', 4800]], ['1000', ['V.29', 9600]], ['1100', ['V.29', 7200]],
  ['0001', ['V.17', 14400]], ['0101', ['V.17', 12000]], ['1001', ['V.17', 9600]], ['1101', ['V.17', 7200]],
]);

/** DIS/DTC bits 11–14 → modems offered. */
const DIS_RATES: ReadonlyMap<string, [string[], number]> = new Map([
  ['0000', [['V.27ter'], 2400]], ['0100', [['V.27ter'], 4800]], ['1000', [['V.29'], 9600]],
  ['1100', [['V.27ter', 'V.29'], 9600]], ['1101', [['V.27ter', 'V.29', 'V.17'], 14400]],
]);

/** Decodes the capability bits of a DIS, DTC or DCS information field. */
export function decodeCaps(fif: Buffer, command: boolean): FaxCaps {
  const rateBits = [11, 12, 13, 14].map((n) => (bit(fif, n) ? '1' : '0')).join('');
  let modems: string[] = [];
  let rate = 0;
  if (command) {
    const r = DCS_RATES.get(rateBits);
    if (r) [modems, rate] = [[r[0]], r[1]];
  } else {
    const r = DIS_RATES.get(rateBits);
    if (r) [modems, rate] = r;
  }
  // Octets past the third exist only when the extend bit of every octet before is set.
  const extended = (octet: number): boolean => [24, 32, 40, 48, 56, 64].slice(0, octet - 3).every((n) => bit(fif, n));
  let resolution: FaxCaps['resolution'] = bit(fif, 15) ? 'fine' : 'standard';
  if (extended(6) && bit(fif, 41)) resolution = 'superfine';
  if (extended(6) && bit(fif, 43)) resolution = 'ultrafine';
  const w17 = bit(fif, 17);
  const w18 = bit(fif, 18);
  const width = command ? (w17 ? 255 : w18 ? 303 : 215) : (w18 ? 303 : w17 ? 255 : 215);
  const l19 = bit(fif, 19);
  const l20 = bit(fif, 20);
  const length = l20 ? 'unlimited' : l19 ? 'B4' : 'A4';
  const mmr = extended(4) && bit(fif, 31);
  let coding = mmr ? 'MMR' : bit(fif, 16) ? 'MR' : 'MH';
  if (extended(9) && bit(fif, 68)) coding += '+JPEG';
  return { rate, modems, resolution, ecm: bit(fif, 27), width, length, coding, t38: bit(fif, 3) };
}

/**
 * A T.30 identity (TSI, CSI, CIG, …): 20 characters (digits, +, space), last one first, each
 * octet bit-reversed. Anything outside printable ASCII becomes '?', so no control byte of a
 * packet reaches a screen or JSON through it.
 */
export function decodeIdentity(fif: Buffer): string {
  let s = '';
  for (let i = fif.length - 1; i >= 0; i--) {
    const c = reverseBits(fif[i]!);
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s.trim();
}

/** Swaps bit order within an octet (T.38's octets against T.30's character bits). */
export function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
}

export interface T30Frame {
  name: string;
  /** Control field 0xc8: the last frame of the command or response. */
  final: boolean;
  /** The gateway reported a bad FCS for this frame. */
  fcsBad: boolean;
  fif: Buffer;
  /** DIS, DTC, DCS. */
  caps?: FaxCaps;
  /** TSI, CSI, CIG and other identities. */
  identity?: string;
  /** PPS/EOR: the command in FCF2; PPS/PPR also carry page, block and frame counters. */
  fcf2?: string;
  page?: number;
  block?: number;
}

const IDENTITIES = new Set(['CSI', 'TSI', 'CIG', 'PWD', 'SEP', 'SUB', 'SID', 'PSA']);

/** Why HDLC bytes are no T.30 frame; 't30-too-long' is said by the frame gathering (fax-session.ts). */
export type T30Skip = 't30-short' | 't30-address' | 't30-too-long';

/** Parses one HDLC frame of a T.30 phase (address, control, FCF, information field). */
export function parseT30(frame: Buffer, fcsBad: boolean): T30Frame | T30Skip {
  if (frame.length < 3) return 't30-short';
  if (frame[0] !== 0xff) return 't30-address';
  const name = fcfName(frame[2]!);
  const fif = frame.subarray(3);
  const out: T30Frame = { name, final: (frame[1]! & 0x08) !== 0, fcsBad, fif };
  if (name === 'DIS' || name === 'DTC' || name === 'DCS') out.caps = decodeCaps(fif, name === 'DCS');
  else if (IDENTITIES.has(name)) out.identity = decodeIdentity(fif);
  else if ((name === 'PPS' || name === 'EOR') && fif.length > 0) {
    out.fcf2 = FCF2.get(fif[0]! & 0x7f) ?? `0x${fif[0]!.toString(16)}`;
    // Counters are sent modulo 256 (page) and 256 (block); shown 1-based like the terminals do.
    if (name === 'PPS' && fif.length >= 3) [out.page, out.block] = [reverseBits(fif[1]!) + 1, reverseBits(fif[2]!) + 1];
  }
  return out;
}

/** One line of what a frame says, as the ladder and JSON show it (`DCS 14400 fine ECM`, `TSI +4930…`). */
export function describeT30(f: T30Frame): string {
  const parts: string[] = [];
  if (f.caps) {
    const c = f.caps;
    parts.push(f.name === 'DCS' ? `${c.rate}` : `${c.modems.join('/') || '?'} ${c.rate}`);
    parts.push(c.resolution);
    if (c.ecm) parts.push('ECM');
    parts.push(c.coding, `${c.width}mm`, c.length);
  } else if (f.identity !== undefined) {
    parts.push(f.identity === '' ? '(empty)' : f.identity);
  } else if (f.fcf2) {
    parts.push(f.fcf2);
    if (f.page !== undefined) parts.push(`page ${f.page} block ${f.block}`);
  }
  if (f.fcsBad) parts.push('FCS bad');
  return parts.join(' ');
}
