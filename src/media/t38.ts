/**
 * T.38 IFP packets (ITU-T T.38 §7, ASN.1 aligned PER): an indicator (which tone or modem
 * training the sending gateway hears) or data of a modem (V.21 HDLC carrying T.30, or page data)
 * in one or more fields.
 */

/** Type-of-msg t30-indicator, root values then the extension (T.38 2002). */
export const INDICATORS = [
  'no-signal', 'cng', 'ced', 'v21-preamble', 'v27-2400-training', 'v27-4800-training', 'v29-7200-training',
  'v29-9600-training', 'v17-7200-short-training', 'v17-7200-long-training', 'v17-9600-short-training',
  'v17-9600-long-training', 'v17-12000-short-training', 'v17-12000-long-training', 'v17-14400-short-training',
  'v17-14400-long-training',
] as const;
export const INDICATORS_EXT = [
  'v8-ansam', 'v8-signal', 'v34-cntl-channel-1200', 'v34-pri-channel', 'v34-CC-retrain', 'v33-12000-training',
  'v33-14400-training',
] as const;

/** Type-of-msg data (the modem the data was carried by). */
export const MODEMS = ['v21', 'v27-2400', 'v27-4800', 'v29-7200', 'v29-9600', 'v17-7200', 'v17-9600', 'v17-12000', 'v17-14400'] as const;
export const MODEMS_EXT = ['v8', 'v34-pri-rate', 'v34-CC-1200', 'v34-pri-ch', 'v33-12000', 'v33-14400'] as const;

/** Data-Field field-type. */
export const FIELD_TYPES = [
  'hdlc-data', 'hdlc-sig-end', 'hdlc-fcs-OK', 'hdlc-fcs-BAD', 'hdlc-fcs-OK-sig-end', 'hdlc-fcs-BAD-sig-end',
  't4-non-ecm-data', 't4-non-ecm-sig-end',
] as const;
export const FIELD_TYPES_EXT = ['cm-message', 'jm-message', 'ci-message', 'v34rate'] as const;

export type FieldType = (typeof FIELD_TYPES)[number] | (typeof FIELD_TYPES_EXT)[number];

export interface IfpField {
  type: FieldType;
  /** A view into the IFP; absent when the field carries no data. */
  data?: Buffer;
}

export type Ifp =
  | { kind: 'indicator'; indicator: string }
  | { kind: 'data'; modem: string; fields: IfpField[] };

/**
 * The T.38 (1998) ASN.1 as first published has a non-extensible field-type; the corrigendum
 * (and T.38 2002) made it extensible, which moves its bits. Both are deployed, and one byte
 * such as 0x20 means hdlc-fcs-OK in one and hdlc-fcs-OK-sig-end in the other, so a session is
 * decoded in the layout all its packets agree with (Wireshark's default is the 1998 one).
 */
export type FieldLayout = 'pre-corrigendum' | 'corrigendum';

export type IfpSkip = 't38-short' | 't38-unknown-type' | 't38-length';

/** A CHOICE/ENUMERATED with an extension bit at `extBit`, root value in `rootBits` bits below it. */
function readEnum(buf: Buffer, at: number, extBit: number, rootBits: number, root: readonly string[], ext: readonly string[]):
  [string, number] | undefined {
  const b = buf[at]!;
  if ((b & (1 << extBit)) === 0) {
    const v = (b >> (extBit - rootBits)) & ((1 << rootBits) - 1);
    return root[v] === undefined ? undefined : [root[v]!, at + 1];
  }
  // Extension: a normally small whole number (a 0 bit, then six bits) right after the extension bit.
  if (at + 1 >= buf.length || (b & (1 << (extBit - 1))) !== 0) return undefined;
  const shift = extBit - 1;
  const v = ((b & ((1 << shift) - 1)) << (6 - shift)) | (buf[at + 1]! >> (8 - (6 - shift)));
  return ext[v] === undefined ? undefined : [ext[v]!, at + 2];
}

/** Decodes one IFP. Trailing bytes are tolerated: FEC rebuilds pad a packet with zeros. */
export function decodeIfp(buf: Buffer, layout: FieldLayout): Ifp | IfpSkip {
  if (buf.length === 0) return 't38-short';
  const b0 = buf[0]!;
  const hasData = (b0 & 0x80) !== 0;
  if ((b0 & 0x40) === 0) {
    const ind = readEnum(buf, 0, 5, 4, INDICATORS, INDICATORS_EXT);
    return ind ? { kind: 'indicator', indicator: ind[0] } : 't38-unknown-type';
  }
  const modem = readEnum(buf, 0, 5, 4, MODEMS, MODEMS_EXT);
  if (!modem) return 't38-unknown-type';
  const fields: IfpField[] = [];
  let at = modem[1];
  if (hasData) {
    if (at >= buf.length) return 't38-short';
    const count = buf[at++]!;
    if (count & 0x80) return 't38-length';
    for (let i = 0; i < count; i++) {
      if (at >= buf.length) return 't38-short';
      const present = (buf[at]! & 0x80) !== 0;
      const type = layout === 'pre-corrigendum'
        ? [FIELD_TYPES[(buf[at]! >> 4) & 7]!, at + 1] as [string, number]
        : readEnum(buf, at, 6, 3, FIELD_TYPES, FIELD_TYPES_EXT);
      if (!type) return 't38-unknown-type';
      at = type[1];
      const field: IfpField = { type: type[0] as FieldType };
      if (present) {
        if (at + 2 > buf.length) return 't38-short';
        const len = buf.readUInt16BE(at) + 1;
        at += 2;
        if (at + len > buf.length) return 't38-length';
        field.data = buf.subarray(at, at + len);
        at += len;
      }
      fields.push(field);
    }
  }
  return { kind: 'data', modem: modem[0], fields };
}

/**
 * How well a layout explains an IFP: 0 when it decodes with no bit the layout leaves unused,
 * 1 when it does not decode. Summed over a session, the lower total wins.
 */
export function layoutMisfit(buf: Buffer, layout: FieldLayout): number {
  const ifp = decodeIfp(buf, layout);
  if (typeof ifp === 'string') return 1;
  if (ifp.kind !== 'data' || ifp.fields.length === 0) return 0;
  // Padding bits after a field type are zero in the right layout.
  let at = (buf[0]! & 0x20) ? 3 : 2;
  for (const f of ifp.fields) {
    const b = buf[at]!;
    if (layout === 'pre-corrigendum' ? (b & 0x0f) !== 0 : (b & 0x40) === 0 && (b & 0x07) !== 0) return 1;
    at += (layout === 'corrigendum' && (b & 0x40) ? 2 : 1) + (f.data ? 2 + f.data.length : 0);
  }
  return 0;
}
