/**
 * Per-message fields in typed arrays: ~75 bytes a message instead of a ~220-byte object graph,
 * so 680k messages fit the memory budget. SipMessage objects are built on demand.
 *
 * Rows live in fixed-size pages: growing never copies, and never leaves the old arrays behind as
 * garbage that V8 frees only at its next full collection (that was 60+ MB at the peak of the bench).
 */

export const FLAG_SDP = 1;
export const FLAG_RETRANS = 2;
export const FLAG_IN_FILE = 4;
/** The message came in one frame, which lies around its payload (in the file or the spool): see frameShape. */
export const FLAG_FRAME = 8;
/** The message's frames are in the store's FrameList. */
export const FLAG_FRAMES_LISTED = 16;
/** SipScan.viaReceived. */
export const FLAG_VIA_RECEIVED = 32;
/** The message has one Reason or Warning line, and its value is the dialog's reason (the first one the dialog had). */
export const FLAG_REASON_ALONE = 64;

/**
 * Methods and reason phrases are ids into the store's own token table, which a capture fills
 * with a few dozen: 16 bits each, and past the table's bound a message's own are read back from it.
 */
export const TOKEN_NOT_KEPT = 0xffff;

const PAGE_BITS = 16;
/** Rows per page. */
export const PAGE_ROWS = 1 << PAGE_BITS;
/** Row index & PAGE_MASK is the row's slot in its page. */
export const PAGE_MASK = PAGE_ROWS - 1;

/** Where the high and low 32 bits of a BigInt64Array element lie in an Int32Array over it. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HIGH_WORD = LITTLE_ENDIAN ? 1 : 0;
const LOW_WORD = 1 - HIGH_WORD;

export class ColumnPage {
  readonly dialog = new Int32Array(PAGE_ROWS);
  readonly frame = new Uint32Array(PAGE_ROWS);
  readonly ts = new BigInt64Array(PAGE_ROWS);
  /** The same memory as ts in 32-bit words: timeAt reads a time as a double without making a BigInt. */
  private readonly tsWords = new Int32Array(this.ts.buffer);
  /** String-table ids of addresses. */
  readonly src = new Uint32Array(PAGE_ROWS);
  readonly dst = new Uint32Array(PAGE_ROWS);
  /** Token-table ids of methods (TOKEN_NOT_KEPT: read from the message). */
  readonly method = new Uint16Array(PAGE_ROWS);
  readonly cseqMethod = new Uint16Array(PAGE_ROWS);
  readonly sport = new Uint16Array(PAGE_ROWS);
  readonly dport = new Uint16Array(PAGE_ROWS);
  readonly status = new Uint16Array(PAGE_ROWS);
  readonly transport = new Uint8Array(PAGE_ROWS);
  readonly flags = new Uint8Array(PAGE_ROWS);
  readonly cseq = new Uint32Array(PAGE_ROWS);
  readonly refOffset = new Float64Array(PAGE_ROWS);
  readonly refLength = new Uint32Array(PAGE_ROWS);
  readonly hash = new Int32Array(PAGE_ROWS);
  /**
   * String-table id of the HEP node that captured it; made with the page's first message from a
   * node: until then (and for local captures, always) every message's node is ''.
   */
  node: Uint32Array | undefined;
  /** With FLAG_FRAME: the frame's bytes before the payload × 65536 + its bytes after it. */
  readonly frameShape = new Uint32Array(PAGE_ROWS);
  /** With FLAG_FRAME: the frame's link type, as an index into the store's link table. */
  readonly link = new Uint8Array(PAGE_ROWS);
  /** HeaderNames.mask of the message: which of MASKED_HEADERS it carries. */
  readonly headers = new Int32Array(PAGE_ROWS);
  /** Token-table id of a response's reason phrase (TOKEN_NOT_KEPT: read from the message). */
  readonly phrase = new Uint16Array(PAGE_ROWS);
  /** SdpFactsTable reference of an SDP message's facts. */
  readonly sdp = new Int32Array(PAGE_ROWS);
  /** The dialog's message before this one, -1 for its first: a dialog's messages are this chain from its newest. */
  readonly prev = new Int32Array(PAGE_ROWS);

  /** ts[o] as the nearest double (one rounding: within 1024 ns of it for any 64-bit value). */
  timeAt(o: number): number {
    return this.tsWords[2 * o + HIGH_WORD]! * 0x1_0000_0000 + (this.tsWords[2 * o + LOW_WORD]! >>> 0);
  }
}

export class MessageColumns {
  count = 0;
  private readonly pages: ColumnPage[] = [];

  /** Reserves the next row and returns its index. */
  push(): number {
    if ((this.count & PAGE_MASK) === 0 && this.count >>> PAGE_BITS === this.pages.length) this.pages.push(new ColumnPage());
    return this.count++;
  }

  /** Row i follows row `before` (-1: none) in its dialog. */
  chain(i: number, before: number): void {
    this.pages[i >>> PAGE_BITS]!.prev[i & PAGE_MASK] = before;
  }

  /** The row before row i in its dialog, -1 for the first. */
  prev(i: number): number {
    return this.pages[i >>> PAGE_BITS]!.prev[i & PAGE_MASK]!;
  }

  /** The page holding row i; the row's slot is i & PAGE_MASK. */
  page(i: number): ColumnPage {
    return this.pages[i >>> PAGE_BITS]!;
  }
}
