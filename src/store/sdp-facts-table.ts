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
  /** By the shape id of a one-m= SDP, or the ids of several joined. */
  private readonly shapeIds = new Map<number | string, number>();
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
    let key: number | string = n === 1 ? media[0]!.shape.id : '';
    for (let k = 0; n !== 1 && k < n; k++) key += `${media[k]!.shape.id},`;
    let shape = this.shapeIds.get(key);
    if (shape === undefined) {
      if (this.shapes.length >= MAX_SHAPES) return SDP_UNRECORDED;
      shape = this.shapes.length;
      this.shapes.push(media.slice(0, n).map((m) => m.shape));
      this.shapeIds.set(key, shape);
    }
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
