/**
 * The SDP facts (sip/sdp-facts.ts) of every SDP message, kept compact: what repeats across a
 * capture's calls (media types, directions, codec lists) is one shared shape, told by those facts
 * alone (not by the reader's shape ids, which differ for more than facts), and each message
 * keeps only the shape's number and its m= lines' ports and addresses (string-table ids) in
 * paged Int32 arrays, ~12 bytes a message for one m= line.
 */
import type { SdpFacts } from '../sip/sdp-facts.js';
import type { SdpRead, SdpSection, SdpShape } from '../sip/sdp-scan.js';
import type { StringTable } from './string-table.js';

/** What a message's `sdp` reference says when it points at no record. */
export const SDP_UNRECORDED = 0;
export const SDP_NONE = -1;

/** Distinct shapes (and m= line kinds) kept; an SDP of a new one past this is not recorded (the store parses it again when asked). */
const MAX_SHAPES = 4096;
/** m= lines recorded per SDP; more (rare, or hostile) leaves the SDP unrecorded. */
const MAX_MEDIA = 16;
/** Longer c= addresses are not worth a string-table entry: such an SDP is left unrecorded. */
const MAX_ADDRESS = 64;
const PAGE_BITS = 16;
const PAGE_INTS = 1 << PAGE_BITS;

/** Ports that fit the Int32 column as they are (an m= port is whatever number the text says). */
function recordable(m: SdpSection): boolean {
  return m.connection.length <= MAX_ADDRESS && Number.isInteger(m.port) && m.port >= 0 && m.port <= 0x7fffffff;
}

/** Shape ids remembered by kindOf; past this it starts over (an id's kind is found again by its facts). */
const MAX_IDS = 4 * MAX_SHAPES;

/** What the facts of an m= line take from its shape, as a key: equal exactly when those facts are. */
function factsKey(m: SdpShape): string {
  let key = `${m.media.length}:${m.media}${m.direction.length}:${m.direction}`;
  for (const c of m.codecs) key += `${c.length}:${c}`;
  return key;
}

export class SdpFactsTable {
  /** An SDP's m= lines' kinds (their first shapes), by the SDP's shape number. */
  private readonly shapes: (readonly SdpShape[])[] = [];
  /**
   * The shapes with distinct facts: a reader's shapes differ in more than facts (transport,
   * rtpmap), and past its bound the reader makes a new shape (a new id) for content it did not keep.
   */
  private readonly kinds: SdpShape[] = [];
  private readonly kindByFacts = new Map<string, number>();
  private readonly kindById = new Map<number, number>();
  /** Shape number of a one-m= SDP by its kind. */
  private readonly byKind = new Map<number, number>();
  /** Shape numbers of SDPs with several m= lines, by a hash of their kinds (list: collisions). */
  private readonly byKinds = new Map<number, number[]>();
  private readonly pages: Int32Array[] = [];
  /** Next free int in the last page. */
  private used = PAGE_INTS;

  constructor(private readonly strings: StringTable) {}

  /** Records the first SDP body of a message's read and returns its reference for the message's column. */
  add(sdp: SdpRead): number {
    if (sdp.bodies === 0) return SDP_NONE;
    const n = sdp.firstCount;
    const media = sdp.sections;
    if (n > MAX_MEDIA) return SDP_UNRECORDED;
    for (let k = 0; k < n; k++) if (!recordable(media[k]!)) return SDP_UNRECORDED;
    const shape = n === 1 ? this.oneShape(media[0]!.shape) : this.joinedShape(media, n);
    if (shape < 0) return SDP_UNRECORDED;
    const length = 1 + 2 * n;
    if (this.used + length > PAGE_INTS) {
      this.pages.push(new Int32Array(PAGE_INTS));
      this.used = 0;
    }
    const page = this.pages.length - 1;
    const ints = this.pages[page]!;
    const at = this.used;
    ints[at] = shape;
    for (let k = 0; k < n; k++) {
      ints[at + 1 + 2 * k] = media[k]!.port;
      ints[at + 2 + 2 * k] = this.strings.id(media[k]!.connection);
    }
    this.used += length;
    return ((page << PAGE_BITS) | at) + 1;
  }

  /** The kind of an m= line's shape: a key string is made once per shape id, none per message. -1 when a new one finds the table full. */
  private kindOf(m: SdpShape): number {
    const known = this.kindById.get(m.id);
    if (known !== undefined) return known;
    const key = factsKey(m);
    let kind = this.kindByFacts.get(key);
    if (kind === undefined) {
      if (this.kinds.length >= MAX_SHAPES) return -1;
      kind = this.kinds.length;
      this.kinds.push(m);
      this.kindByFacts.set(key, kind);
    }
    if (this.kindById.size >= MAX_IDS) this.kindById.clear();
    this.kindById.set(m.id, kind);
    return kind;
  }

  /** The shape number of a one-m= SDP, -1 when the table is full. */
  private oneShape(m: SdpShape): number {
    const kind = this.kindOf(m);
    if (kind < 0) return -1;
    const known = this.byKind.get(kind);
    if (known !== undefined) return known;
    const shape = this.newShape([this.kinds[kind]!]);
    if (shape >= 0) this.byKind.set(kind, shape);
    return shape;
  }

  /** The shape number of an SDP's first n (> 1) m= lines, found by their kinds without a key string; -1 as oneShape. */
  private joinedShape(media: readonly SdpSection[], n: number): number {
    let hash = n;
    for (let k = 0; k < n; k++) {
      const kind = this.kindOf(media[k]!.shape);
      if (kind < 0) return -1;
      hash = Math.imul(hash ^ kind, 0x01000193);
    }
    const list = this.byKinds.get(hash);
    for (let j = 0; list !== undefined && j < list.length; j++) {
      const kept = this.shapes[list[j]!]!;
      let k = 0;
      while (k < n && kept.length === n && kept[k] === this.kinds[this.kindOf(media[k]!.shape)]) k++;
      if (k === n) return list[j]!;
    }
    const shape = this.newShape(media.slice(0, n).map((m) => this.kinds[this.kindOf(m.shape)]!));
    if (shape >= 0) {
      if (list) list.push(shape);
      else this.byKinds.set(hash, [shape]);
    }
    return shape;
  }

  private newShape(kinds: readonly SdpShape[]): number {
    if (this.shapes.length >= MAX_SHAPES) return -1;
    this.shapes.push(kinds);
    return this.shapes.length - 1;
  }

  /**
   * A number two references share exactly when their facts agree in everything but the values of
   * ports and addresses (media, directions, codecs, and which ports are 0); -1 for SDP_NONE.
   */
  codecKey(ref: number): number {
    if (ref === SDP_NONE) return -1;
    const ints = this.pages[(ref - 1) >>> PAGE_BITS]!;
    const at = (ref - 1) & (PAGE_INTS - 1);
    const shape = ints[at]!;
    let zero = 0;
    for (let k = 0; k < this.shapes[shape]!.length; k++) if (ints[at + 1 + 2 * k] === 0) zero |= 1 << k;
    return shape * (1 << MAX_MEDIA) + zero;
  }

  /** The facts behind a reference add() returned (not SDP_UNRECORDED); undefined for SDP_NONE. */
  get(ref: number): SdpFacts | undefined {
    if (ref === SDP_NONE) return undefined;
    const ints = this.pages[(ref - 1) >>> PAGE_BITS]!;
    const at = (ref - 1) & (PAGE_INTS - 1);
    const shape = this.shapes[ints[at]!]!;
    return {
      media: shape.map((m, k) => ({
        media: m.media, direction: m.direction, codecs: m.codecs,
        port: ints[at + 1 + 2 * k]!, connection: this.strings.str(ints[at + 2 + 2 * k]!),
      })),
    };
  }
}
