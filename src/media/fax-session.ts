import { FrameArena, type ArenaSlot } from './frame-arena.js';
import type { SkipReason } from '../model/skip.js';
import { decodeIfp, layoutMisfit, type FieldLayout, type Ifp, type IfpSkip } from './t38.js';
import { describeT30, parseT30, type T30Frame, type T30Skip } from './t30.js';
import { UdptlReceiver, type UdptlPacket } from './udptl.js';

/** What a fax session shows: T.30 frames, T.38 indicators, and blocks of high-speed data (training check or a page). */
export type FaxEvent =
  | { kind: 't30'; ts: bigint; from: string; to: string; frame: T30Frame; detail: string }
  | { kind: 'indicator'; ts: bigint; from: string; to: string; indicator: string }
  | { kind: 'data'; ts: bigint; end: bigint; from: string; to: string; modem: string; bytes: number; ecmFrames: number };

/** One IFP in sequence order for its direction, kept until the session is analysed. */
interface KeptIfp {
  ts: bigint;
  dir: 0 | 1;
  slot: ArenaSlot;
}

/** What does not decode: IFPs and T.30 frames, counted per reason. */
type DecodeCounts = Partial<Record<IfpSkip | T30Skip, number>>;

/** Longest T.30 frame (T.30 §5.3.6: 256 octets of FIF plus address, control, FCF). */
const MAX_HDLC = 260;
/** IFPs one session keeps; past it packets are counted, not kept (a fax of 50 pages is ~20 000). */
const MAX_IFPS = 200_000;

/**
 * One UDPTL session (the T.38 packets between two fax endpoints of a dialog): UDPTL is decoded as
 * packets arrive, lost primaries rebuilt from redundancy; the IFPs are kept (small, in an arena)
 * and turned into events on demand, once the whole session tells which field layout it uses.
 */
export class FaxSession {
  readonly endpoints: [string, string];
  private readonly receivers = [new UdptlReceiver(), new UdptlReceiver()];
  private readonly ifps: KeptIfp[] = [];
  /** The session's own, so forgetting a rotated dialog frees its IFPs. */
  private readonly arena = new FrameArena();
  /** UDPTL packets taken, and IFPs not kept past the bound. */
  packets = 0;
  overflow = 0;
  first = 0n;
  last = 0n;
  private cache: { count: number; events: FaxEvent[] } | undefined;
  /** Decode failures already handed to `skip`: the events are worked out again as packets arrive, a failure counts once. */
  private readonly reported: DecodeCounts = {};

  /** `skip` counts what does not decode (IFPs, T.30 frames) and IFPs past the bound. */
  constructor(src: string, dst: string, private readonly skip: (reason: SkipReason) => void = () => {}) {
    this.endpoints = [src, dst];
  }

  /** A UDPTL packet between the endpoints, sent by `src`. */
  push(ts: bigint, src: string, p: UdptlPacket): void {
    if (this.packets++ === 0) this.first = ts;
    this.last = ts;
    const dir = src === this.endpoints[0] ? 0 : 1;
    for (const o of this.receivers[dir]!.push(p)) {
      if (this.ifps.length >= MAX_IFPS) {
        this.overflow++;
        this.skip('t38-ifp-limit');
      } else this.ifps.push({ ts, dir, slot: this.arena.append(o.ifp) });
    }
  }

  get recovered(): number {
    return this.receivers[0]!.recovered + this.receivers[1]!.recovered;
  }

  get lost(): number {
    return this.receivers[0]!.lost + this.receivers[1]!.lost;
  }

  /**
   * The session's events in time order (cached until more packets arrive). IFPs and T.30 frames
   * that do not decode are counted as skips the first time a look finds them (the field layout is
   * the whole session's, so a count may only be known once the events are worked out: the fax
   * screen, the flow's fax rows, the diagnosis and the JSON all ask).
   */
  events(): FaxEvent[] {
    if (this.cache?.count === this.ifps.length) return this.cache.events;
    const bytes = this.ifps.map((k) => this.arena.read(k.slot));
    const misfit = (layout: FieldLayout): number => bytes.reduce((n, b) => n + layoutMisfit(b, layout), 0);
    const layout: FieldLayout = misfit('corrigendum') < misfit('pre-corrigendum') ? 'corrigendum' : 'pre-corrigendum';
    const builders = [new EventBuilder(this.endpoints[0], this.endpoints[1]), new EventBuilder(this.endpoints[1], this.endpoints[0])];
    const events: FaxEvent[] = [];
    const failed: DecodeCounts = {};
    this.ifps.forEach((k, i) => {
      const ifp = decodeIfp(bytes[i]!, layout);
      if (typeof ifp !== 'string') builders[k.dir]!.add(k.ts, ifp, events, failed);
      else failed[ifp] = (failed[ifp] ?? 0) + 1;
    });
    for (const b of builders) b.finish(events);
    this.report(failed);
    events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    this.cache = { count: this.ifps.length, events };
    return events;
  }

  /** Counts the failures this look found beyond those already counted. */
  private report(failed: DecodeCounts): void {
    for (const [reason, n] of Object.entries(failed) as [IfpSkip | T30Skip, number][]) {
      for (let k = this.reported[reason] ?? 0; k < n; k++) this.skip(reason);
      this.reported[reason] = Math.max(n, this.reported[reason] ?? 0);
    }
  }
}

/** One direction's IFPs → events: HDLC bytes gathered into T.30 frames, data fields into blocks. */
class EventBuilder {
  private hdlc: Buffer[] = [];
  private hdlcLength = 0;
  /** The frame being gathered outgrew MAX_HDLC: it is dropped at its end. */
  private hdlcOverflow = false;
  private block: Extract<FaxEvent, { kind: 'data' }> | undefined;
  private lastIndicator = '';

  constructor(
    private readonly from: string,
    private readonly to: string,
  ) {}

  add(ts: bigint, ifp: Ifp, out: FaxEvent[], failed: DecodeCounts): void {
    if (ifp.kind === 'indicator') {
      // Gateways send each indicator several times for safety; one event says it.
      if (ifp.indicator !== this.lastIndicator) out.push({ kind: 'indicator', ts, from: this.from, to: this.to, indicator: ifp.indicator });
      this.lastIndicator = ifp.indicator;
      if (ifp.indicator !== 'no-signal') this.closeBlock(out);
      return;
    }
    this.lastIndicator = '';
    const v21 = ifp.modem === 'v21';
    if (v21) this.closeBlock(out);
    for (const f of ifp.fields) {
      if (f.type === 'hdlc-data' && f.data) {
        if (v21) this.addHdlc(f.data);
        else this.extendBlock(ts, ifp.modem, f.data.length, out);
      } else if (f.type === 't4-non-ecm-data') {
        this.extendBlock(ts, ifp.modem, f.data?.length ?? 0, out);
      } else if (f.type === 'hdlc-fcs-OK' || f.type === 'hdlc-fcs-BAD' || f.type === 'hdlc-fcs-OK-sig-end' || f.type === 'hdlc-fcs-BAD-sig-end') {
        if (v21) this.endHdlc(ts, f.type.startsWith('hdlc-fcs-BAD'), out, failed);
        else if (this.block) this.block.ecmFrames++;
        if (f.type.endsWith('sig-end') && !v21) this.closeBlock(out, ts);
      } else if (f.type === 'hdlc-sig-end' || f.type === 't4-non-ecm-sig-end') {
        if (v21) {
          this.hdlc = [];
          this.hdlcOverflow = false;
        } else {
          if (this.block) this.block.end = ts;
          this.closeBlock(out, ts);
        }
        this.hdlcLength = 0;
      }
    }
  }

  finish(out: FaxEvent[]): void {
    this.closeBlock(out);
  }

  private addHdlc(data: Buffer): void {
    if (this.hdlcLength + data.length > MAX_HDLC) {
      this.hdlcOverflow = true;
      return;
    }
    this.hdlc.push(data);
    this.hdlcLength += data.length;
  }

  private endHdlc(ts: bigint, fcsBad: boolean, out: FaxEvent[], failed: DecodeCounts): void {
    const bytes = Buffer.concat(this.hdlc);
    const overflow = this.hdlcOverflow;
    this.hdlc = [];
    this.hdlcLength = 0;
    this.hdlcOverflow = false;
    const frame = overflow ? 't30-too-long' : parseT30(bytes, fcsBad);
    if (typeof frame !== 'string') out.push({ kind: 't30', ts, from: this.from, to: this.to, frame, detail: describeT30(frame) });
    else failed[frame] = (failed[frame] ?? 0) + 1;
  }

  private extendBlock(ts: bigint, modem: string, bytes: number, out: FaxEvent[]): void {
    if (this.block && this.block.modem !== modem) this.closeBlock(out);
    this.block ??= { kind: 'data', ts, end: ts, from: this.from, to: this.to, modem, bytes: 0, ecmFrames: 0 };
    this.block.bytes += bytes;
    this.block.end = ts;
  }

  private closeBlock(out: FaxEvent[], end?: bigint): void {
    if (!this.block) return;
    if (end !== undefined) this.block.end = end;
    out.push(this.block);
    this.block = undefined;
  }
}
