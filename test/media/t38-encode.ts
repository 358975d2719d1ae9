// A T.38 encoder (IFP and UDPTL, aligned PER as ITU-T T.38 §7 and §9.1) for generated captures.
// It is written from the standard, not from the decoder, so tshark can judge its output.
import { FIELD_TYPES, INDICATORS, MODEMS, type FieldLayout } from '../../src/media/t38.js';
import { reverseBits } from '../../src/media/t30.js';

export type Field = { type: (typeof FIELD_TYPES)[number]; data?: Buffer };

export function indicatorIfp(name: (typeof INDICATORS)[number]): Buffer {
  // Optional-field bit 0, choice t30-indicator (0), extension bit 0, four bits of value, padding.
  return Buffer.from([INDICATORS.indexOf(name) << 1]);
}

export function dataIfp(modem: (typeof MODEMS)[number], fields: Field[], layout: FieldLayout = 'pre-corrigendum'): Buffer {
  const out: number[] = [0x80 | 0x40 | (MODEMS.indexOf(modem) << 1), fields.length];
  for (const f of fields) {
    const type = FIELD_TYPES.indexOf(f.type);
    out.push((f.data ? 0x80 : 0) | (layout === 'pre-corrigendum' ? type << 4 : type << 3));
    if (f.data) out.push((f.data.length - 1) >> 8, (f.data.length - 1) & 0xff, ...f.data);
  }
  return Buffer.from(out);
}

function length(n: number): number[] {
  return n < 0x80 ? [n] : [0x80 | (n >> 8), n & 0xff];
}

/** A UDPTL packet in redundancy mode: `secondaries` newest first (seq - 1, seq - 2, …). */
export function udptlRedundancy(seq: number, primary: Buffer, secondaries: Buffer[]): Buffer {
  return Buffer.from([
    seq >> 8, seq & 0xff, ...length(primary.length), ...primary,
    0x00, ...length(secondaries.length), ...secondaries.flatMap((s) => [...length(s.length), ...s]),
  ]);
}

/** A UDPTL packet in FEC mode: `fec` entries, each the XOR of `span` earlier packets. */
export function udptlFec(seq: number, primary: Buffer, span: number, fec: Buffer[]): Buffer {
  return Buffer.from([
    seq >> 8, seq & 0xff, ...length(primary.length), ...primary,
    0x80, 1, span, ...length(fec.length), ...fec.flatMap((s) => [...length(s.length), ...s]),
  ]);
}

/** T.30 FCF octets in T.38 order (X bit on top). */
export const FCF = {
  DIS: 0x01, CSI: 0x02, DCS: 0x41, TSI: 0x42, CFR: 0x21, FTT: 0x22, MPS: 0x72, EOP: 0x74, MCF: 0x31, RTN: 0x32,
  DCN: 0x5f, PPS: 0x7d, FCD: 0x60, RCP: 0x61,
} as const;

/** Sets T.30 bits (1-based, Table 2) in an information field of `octets` octets. */
export function capBits(octets: number, bits: number[]): Buffer {
  const b = Buffer.alloc(octets);
  for (const n of bits) b[(n - 1) >> 3]! |= 0x80 >> ((n - 1) & 7);
  return b;
}

/** A 20-character identity as T.30 sends it: space padded, last character first, bit-reversed. */
export function identity(s: string): Buffer {
  return Buffer.from(s.padEnd(20, ' ').slice(0, 20).split('').reverse().map((c) => reverseBits(c.charCodeAt(0))));
}

/** An HDLC frame (address, control, FCF with the X bit, information field). */
export function hdlcFrame(fcf: number, fif: Buffer, final: boolean, x: boolean): Buffer {
  return Buffer.concat([Buffer.from([0xff, final ? 0xc8 : 0xc0, fcf | (x ? 0x80 : 0)]), fif]);
}
