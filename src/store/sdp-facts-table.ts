/**
 * The SDP facts (sip/sdp-facts.ts) of every SDP message, kept compact: what repeats across a
 * capture's calls (media types, directions, codec lists) is one shared shape, and each message
 * keeps only the shape's number and its m= lines' ports and addresses (string-table ids) in
 * paged Int32 arrays, ~12 bytes a message for one m= line.
 */
import type { SdpFacts } from '../sip/sdp-facts.js';
import type { SdpRead, SdpSection, SdpShape } from '../sip/sdp-scan.js';
import type { StringTable } from './string-table.js';

/** What a message's `sdp` reference says when it points at no record. */
export const SDP_UNRECORDED = 0;
export const SDP_NONE = -1;

/** Distinct shapes kept; an SDP of a new shape past this is not recorded (the store parses it again when asked). */
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

export class SdpFactsTable {
  /** An SDP's shapes, one per m= line (the reader shares them: the same objects from call to call). */
  private readonly shapes: (readonly SdpShape[])[] = [];
  /** By the shape id of a one-m= SDP. */
  private readonly byShape = new Map<number, number>();
  /** Shapes of SDPs with several m= lines, by a hash of their shape ids (list: collisions). */
  private readonly byShapes = new Map<number, number[]>();
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

  /** The shape number of a one-m= SDP, -1 when a new one finds the table full. */
  private oneShape(m: SdpShape): number {
    const known = this.byShape.get(m.id);
    if (known !== undefined) return known;
    const shape = this.newShape([m]);
    if (shape >= 0) this.byShape.set(m.id, shape);
    return shape;
  }

  /** The shape number of an SDP's first n (> 1) m= lines, found by their shape ids without a key string; -1 as oneShape. */
  private joinedShape(media: readonly SdpSection[], n: number): number {
    let hash = n;
    for (let k = 0; k < n; k++) hash = Math.imul(hash ^ media[k]!.shape.id, 0x01000193);
    const list = this.byShapes.get(hash);
    for (let j = 0; list !== undefined && j < list.length; j++) {
      const kept = this.shapes[list[j]!]!;
      let k = 0;
      while (k < n && kept.length === n && kept[k]!.id === media[k]!.shape.id) k++;
      if (k === n) return list[j]!;
    }
    const shape = this.newShape(media.slice(0, n).map((m) => m.shape));
    if (shape >= 0) {
      if (list) list.push(shape);
      else this.byShapes.set(hash, [shape]);
    }
    return shape;
  }

  private newShape(shapes: readonly SdpShape[]): number {
    if (this.shapes.length >= MAX_SHAPES) return -1;
    this.shapes.push(shapes);
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
