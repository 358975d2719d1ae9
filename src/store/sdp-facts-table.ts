/**
 * The SDP facts (sip/sdp-facts.ts) of every SDP message, kept compact: what repeats across a
 * capture's calls (media types, directions, codec lists) is one shared shape, and each message
 * keeps only the shape's number and its m= lines' ports and addresses (string-table ids) in
 * paged Int32 arrays, ~12 bytes a message for one m= line.
 */
import type { SdpFacts, SdpMediaFacts } from '../sip/sdp-facts.js';
import type { StringTable } from './string-table.js';

/** What a message's `sdp` reference says when it points at no record. */
export const SDP_UNRECORDED = 0;
export const SDP_NONE = -1;

/** The parts of an m= line that repeat from call to call. */
interface MediaShape {
  media: string;
  direction: SdpMediaFacts['direction'];
  codecs: readonly string[];
}

/** Distinct shapes kept; an SDP of a new shape past this is not recorded (the store parses it again when asked). */
const MAX_SHAPES = 4096;
/** m= lines recorded per SDP; more (rare, or hostile) leaves the SDP unrecorded. */
const MAX_MEDIA = 16;
/** Longer c= addresses are not worth a string-table entry: such an SDP is left unrecorded. */
const MAX_ADDRESS = 64;
const PAGE_BITS = 16;
const PAGE_INTS = 1 << PAGE_BITS;

/** Ports that fit the Int32 column as they are (an m= port is whatever number the text says). */
function recordable(m: SdpMediaFacts): boolean {
  return m.connection.length <= MAX_ADDRESS && Number.isInteger(m.port) && m.port >= 0 && m.port <= 0x7fffffff;
}

const HASH_SEED = 0x811c9dc5 | 0;
const HASH_PRIME = 16777619;

/** FNV-1a of a string and its length (so that no name can fake a separator), folded into h. */
function mix(h: number, s: string): number {
  h = Math.imul(h ^ s.length, HASH_PRIME);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), HASH_PRIME);
  return h;
}

/**
 * A hash of the parts of the m= lines a shape is made of. Computed in place: building a key string
 * per SDP message (and hashing it again in a Map) cost more than the rest of add().
 */
function shapeHash(media: readonly SdpMediaFacts[]): number {
  let h = Math.imul(HASH_SEED ^ media.length, HASH_PRIME);
  for (const m of media) {
    h = mix(mix(h, m.media), m.direction);
    h = Math.imul(h ^ m.codecs.length, HASH_PRIME);
    for (const c of m.codecs) h = mix(h, c);
  }
  return h;
}

function sameShape(shape: readonly MediaShape[], media: readonly SdpMediaFacts[]): boolean {
  if (shape.length !== media.length) return false;
  for (let k = 0; k < media.length; k++) {
    const a = shape[k]!, b = media[k]!;
    if (a.media !== b.media || a.direction !== b.direction || a.codecs.length !== b.codecs.length) return false;
    for (let c = 0; c < b.codecs.length; c++) if (a.codecs[c] !== b.codecs[c]) return false;
  }
  return true;
}

function recordableAll(media: readonly SdpMediaFacts[]): boolean {
  for (const m of media) if (!recordable(m)) return false;
  return true;
}

export class SdpFactsTable {
  private readonly shapes: MediaShape[][] = [];
  /** shapeHash → the shapes with that hash (one, but for a collision). */
  private readonly shapeIds = new Map<number, number[]>();
  private readonly pages: Int32Array[] = [];
  /** Next free int in the last page. */
  private used = PAGE_INTS;

  constructor(private readonly strings: StringTable) {}

  /** Records `facts` (undefined: the message has no SDP part) and returns its reference for the message's column. */
  add(facts: SdpFacts | undefined): number {
    if (facts === undefined) return SDP_NONE;
    const media = facts.media;
    if (media.length > MAX_MEDIA || !recordableAll(media)) return SDP_UNRECORDED;
    const shape = this.shapeOf(media);
    if (shape < 0) return SDP_UNRECORDED;
    const length = 1 + 2 * media.length;
    if (this.used + length > PAGE_INTS) {
      this.pages.push(new Int32Array(PAGE_INTS));
      this.used = 0;
    }
    const page = this.pages.length - 1;
    const ints = this.pages[page]!;
    const at = this.used;
    ints[at] = shape;
    for (let k = 0; k < media.length; k++) {
      ints[at + 1 + 2 * k] = media[k]!.port;
      ints[at + 2 + 2 * k] = this.strings.id(media[k]!.connection);
    }
    this.used += length;
    return ((page << PAGE_BITS) | at) + 1;
  }

  /** The number of the shape of `media`, a new one if need be; -1 when MAX_SHAPES are taken. */
  private shapeOf(media: readonly SdpMediaFacts[]): number {
    const hash = shapeHash(media);
    const candidates = this.shapeIds.get(hash);
    for (const k of candidates ?? []) if (sameShape(this.shapes[k]!, media)) return k;
    if (this.shapes.length >= MAX_SHAPES) return -1;
    const shape = this.shapes.length;
    this.shapes.push(media.map((m) => ({ media: m.media, direction: m.direction, codecs: m.codecs })));
    if (candidates) candidates.push(shape);
    else this.shapeIds.set(hash, [shape]);
    return shape;
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
