/**
 * UDPTL (ITU-T T.38 §9.1): the UDP framing of T.38 IFP packets, ASN.1 aligned PER. Each packet
 * carries its sequence number, the primary IFP and either copies of the previous IFPs
 * (redundancy) or XOR parity over earlier ones (FEC), so a receiver can rebuild lost packets.
 */
export interface UdptlPacket {
  seq: number;
  primary: Buffer;
  /** Redundancy mode: secondaries[0] is the IFP of seq - 1, secondaries[1] of seq - 2, … */
  secondaries: Buffer[];
  /** FEC mode: parity entries, each the XOR of `span` packets spaced `fec.length` apart. */
  fec: Buffer[];
  fecSpan: number;
}

/** Why a payload is not UDPTL: a fixed set, counted by the caller. */
export type UdptlSkip = 'udptl-short' | 'udptl-length' | 'udptl-trailing';

/** Secondaries or FEC entries one packet may carry; real stacks send at most a handful. */
const MAX_ENTRIES = 32;

/** A PER length determinant (X.691 §10.9, fragments refused): [value, next offset] or undefined. */
function readLength(buf: Buffer, at: number): [number, number] | undefined {
  if (at >= buf.length) return undefined;
  const b = buf[at]!;
  if ((b & 0x80) === 0) return [b, at + 1];
  if ((b & 0xc0) === 0x80 && at + 1 < buf.length) return [((b & 0x3f) << 8) | buf[at + 1]!, at + 2];
  return undefined;
}

/** An open type or octet string: a length then that many bytes (a view, not a copy). */
function readOpen(buf: Buffer, at: number): [Buffer, number] | undefined {
  const len = readLength(buf, at);
  if (!len || len[1] + len[0] > buf.length) return undefined;
  return [buf.subarray(len[1], len[1] + len[0]), len[1] + len[0]];
}

/** Decodes one UDPTL datagram; strict (the whole payload must be consumed) so RTP is not taken for UDPTL. */
export function decodeUdptl(buf: Buffer): UdptlPacket | UdptlSkip {
  if (buf.length < 4) return 'udptl-short';
  const seq = buf.readUInt16BE(0);
  const primary = readOpen(buf, 2);
  if (!primary || primary[0].length === 0) return 'udptl-length';
  let at = primary[1];
  if (at >= buf.length) return 'udptl-short';
  const fecMode = (buf[at++]! & 0x80) !== 0;
  const packet: UdptlPacket = { seq, primary: primary[0], secondaries: [], fec: [], fecSpan: 0 };
  if (fecMode) {
    // fec-npackets: an unconstrained integer (a length octet, then the value).
    const span = readOpen(buf, at);
    if (!span || span[0].length !== 1) return 'udptl-length';
    packet.fecSpan = span[0][0]!;
    at = span[1];
  }
  const count = readLength(buf, at);
  if (!count || count[0] > MAX_ENTRIES) return 'udptl-length';
  at = count[1];
  const list = fecMode ? packet.fec : packet.secondaries;
  for (let i = 0; i < count[0]; i++) {
    const entry = readOpen(buf, at);
    if (!entry) return 'udptl-length';
    list.push(entry[0]);
    at = entry[1];
  }
  return at === buf.length ? packet : 'udptl-trailing';
}

/** An IFP in sequence order, and whether it was rebuilt from a later packet rather than received. */
export interface OrderedIfp {
  seq: number;
  ifp: Buffer;
  recovered: boolean;
}

/** Packets FEC parity may reach back over (spandsp and Asterisk keep 16). */
const FEC_WINDOW = 16;
/** A larger forward jump is not repaired packet by packet. */
const MAX_GAP = 256;

/**
 * One direction of a UDPTL flow: hands on IFPs in sequence order, rebuilding lost primaries from
 * the redundancy or FEC of the packets that follow. Duplicates and late packets (already
 * recovered or given up) are dropped. Counts losses that could not be repaired.
 */
export class UdptlReceiver {
  private next = -1;
  /** Recent primaries by seq & (FEC_WINDOW - 1), for FEC repair. */
  private readonly recent: (Buffer | undefined)[] = new Array<Buffer | undefined>(FEC_WINDOW);
  private readonly recentSeq: number[] = new Array<number>(FEC_WINDOW).fill(-1);
  recovered = 0;
  lost = 0;
  duplicates = 0;

  /** IFPs this packet makes available, oldest first. */
  push(p: UdptlPacket): OrderedIfp[] {
    if (this.next < 0) this.next = p.seq;
    const ahead = (p.seq - this.next) & 0xffff;
    if (ahead >= 0x8000) {
      this.duplicates++;
      return [];
    }
    const out: OrderedIfp[] = [];
    if (ahead > MAX_GAP) {
      // A jump no redundancy can bridge (a restart, or a sender that renumbered): start again there.
      this.lost += ahead;
      this.next = p.seq;
    }
    for (let s = this.next; s !== p.seq; s = (s + 1) & 0xffff) {
      const back = (p.seq - s) & 0xffff;
      const copy = p.secondaries[back - 1] ?? this.fecRepair(p, s);
      if (copy) {
        this.recovered++;
        this.remember(s, copy);
        out.push({ seq: s, ifp: copy, recovered: true });
      } else {
        this.lost++;
      }
    }
    this.remember(p.seq, p.primary);
    out.push({ seq: p.seq, ifp: p.primary, recovered: false });
    this.next = (p.seq + 1) & 0xffff;
    return out;
  }

  private remember(seq: number, ifp: Buffer): void {
    this.recent[seq & (FEC_WINDOW - 1)] = ifp;
    this.recentSeq[seq & (FEC_WINDOW - 1)] = seq;
  }

  private known(seq: number): Buffer | undefined {
    return this.recentSeq[seq & (FEC_WINDOW - 1)] === seq ? this.recent[seq & (FEC_WINDOW - 1)] : undefined;
  }

  /**
   * T.38 FEC: entry m of packet n is the XOR of packets n + m - span·k·entries stepped by
   * `entries` (k = 1…span); a group with exactly one missing packet gives that packet back.
   */
  private fecRepair(p: UdptlPacket, missing: number): Buffer | undefined {
    const entries = p.fec.length;
    if (entries === 0 || p.fecSpan === 0 || p.fecSpan * entries > FEC_WINDOW) return undefined;
    for (let m = 0; m < entries; m++) {
      const limit = (p.seq + m) & 0xffff;
      const group: number[] = [];
      for (let k = p.fecSpan; k >= 1; k--) group.push((limit - k * entries) & 0xffff);
      if (!group.includes(missing)) continue;
      const others = group.filter((s) => s !== missing).map((s) => this.known(s));
      if (others.some((b) => b === undefined)) return undefined;
      const out = Buffer.from(p.fec[m]!);
      for (const b of others) for (let j = 0; j < b!.length && j < out.length; j++) out[j] = out[j]! ^ b![j]!;
      return out;
    }
    return undefined;
  }
}
