/**
 * The decoder's output as ring records (source/ring.ts), so one thread can read and decode a
 * capture while another stores what it found. The writer is a DatagramSink; the reader turns
 * each record back into the call the decoder made (datagram, udp offer, skip) on the other side,
 * with the payload (and the frame it came in) as views of the ring: valid during the call, as
 * the decoder's own. Both ends reuse their records, and the reader its Datagram and scan (valid
 * during the call as well, as nothing keeps them): per datagram it builds the payload's view and
 * its frame's, and the time's BigInt. Plain UDP that cannot be SIP (RTP, RTCP, whatever else is not on a SIP
 * port) is a small record of its own instead, handed to the reading thread as the decoder's reused
 * UdpView (DatagramSink.udp): no Datagram on either side, no scan, nothing allocated per packet.
 *
 * The writer also runs the store's first look at every payload (scanSip), so the reading thread
 * gets the scan with the datagram instead of making it. The SDP of a message is read on the
 * reading thread (the store's own SdpReader, from the ring's view of the payload): that thread
 * waits for records for much of a load, and the decoding one is the slower of the two (big100k:
 * 15 % less wall time than with the SDP read here and sent as a section of its own).
 *
 * Every record starts with two 32-bit words: its kind (low byte), and the frames delivered so far.
 */
import type { Datagram, DatagramSink, FrameRef, Transport, UdpView } from '../model/datagram.js';
import type { Frame } from '../model/frame.js';
import { SKIP_REASONS, type SkipReason } from '../model/skip.js';
import type { RingWriter } from '../source/ring.js';
import { LazyViewFrame } from '../source/file-frame.js';
import { payloadHash } from '../store/payload-hash.js';
import { CallKeys } from './call-keys.js';
import { MAX_TEXT_KEY, NO_TEXT_KEYS, type TextKeys } from '../store/string-table.js';
import { isSipPort, maySipStart, scanPlaces, scanSip, type HeaderNames, type ScanPlaces, type SipScan, type SipScanSkip } from '../sip/message.js';

const K_DATAGRAM = 1;
const K_SKIP = 2;
/** Anything rare (progress, warnings, the end, an error) as JSON. */
const K_EVENT = 3;
/** Plain UDP that cannot be SIP (a media packet): see the M_ words. */
const K_MEDIA = 4;

/** Datagram flags. */
const F_OFFERED = 1 << 0;
const F_IN_FRAME = 1 << 1;
const F_CARRIER = 1 << 2;
const F_FRAMES = 1 << 3;
const F_VIA_HEP = 1 << 4;
const F_RTCP = 1 << 5;
const F_NODE = 1 << 6;
/** The carrier frame is followed by the payload: the decoder made it (unmasked, decrypted), it does not lie in the frame. */
const F_APART = 1 << 7;

const TRANSPORTS: readonly Transport[] = ['UDP', 'TCP', 'SCTP', 'WS', 'WSS', 'TLS'];
const REASON_INDEX = new Map<SkipReason, number>(SKIP_REASONS.map((r, i) => [r, i]));
const NO_DATA = 0xffffffff;
const EMPTY = Buffer.alloc(0);
const NS_PER_S = 1_000_000_000n;

/**
 * A datagram record's header, read through typed arrays (bodies are 8-byte aligned): 32-bit words
 * (index from the body's start), then 64-bit fields from byte F64. Addresses and nodes are ids
 * (the writer numbers texts); a new one's text follows the header.
 */
/** kind | flags << 8 | transport << 16 | new texts << 24 (src 1, dst 2, node 4). */
const W_KIND = 0;
const W_FRAMES = 1;
const W_FRAME = 2;
const W_SRC = 3;
const W_DST = 4;
const W_NODE = 5;
/** srcLen | dstLen << 16 (new texts only). */
const W_TEXT_LENS = 6;
/** nodeLen | refCount << 16. */
const W_NODE_REFS = 7;
/** sport | dport << 16. */
const W_PORTS = 8;
const W_PAYLOAD_LEN = 9;
const W_NSEC = 10;
const W_ORIG_LEN = 11;
const W_LINKTYPE = 12;
const W_FRAME_LEN = 13;
const W_PAYLOAD_IN_FRAME = 14;
/**
 * Where the frame's (or payload's) bytes start, from the body's start: after the new texts, at the
 * address its source bytes have modulo 8. A copy into shared memory is done a word at a time only
 * when both sides are so aligned, else byte by byte (V8's relaxed memmove: 3× slower at 700 bytes).
 */
const W_BYTES = 15;
/** 64-bit fields, as indexes of 8-byte units from the body's start. */
const D_TS = 8;
const D_FILE_OFFSET = 9;
const D_SEC = 10;
const D_FRAME_FILE_OFFSET = 11;
const DATAGRAM_HEAD = 96;
/** Distinct address and node texts the writer numbers before it starts numbering again (each new number brings its text). */
const MAX_TEXT_IDS = MAX_TEXT_KEY;
/**
 * Call-ID keys: a new Call-ID takes the key given longest ago, and the Call-ID that had it gets a new
 * one (with its text again) if it comes back. Many more than there are calls going on at a time.
 */
const CALL_KEYS = 1 << 14;
/** Longer node names are cut (a HEP node name chunk is short; the cut keeps the length field small). */
const MAX_TEXT = 0xffff;
/** A FrameRef: ts, file offset (8 bytes each), link type, caplen, origLen, data length (NO_DATA: none); its data padded to 8. */
const REF_HEAD = 32;
const pad8 = (n: number): number => (n + 7) & ~7;
/**
 * The scan after a datagram's bytes and frames (8-aligned), as 32-bit words: the verdict (0: a SIP
 * message, else 1 + the SKIP_REASONS index of scanSip's skip), then for a message its fields.
 * Method, CSeq method, reason phrase and Reason recur: they are text ids as addresses are. The
 * Call-ID is a key of its own numbering (a dialog's messages all name it), with its text when new;
 * X-Call-ID is its text. Then HeaderNames.others, .identities (offsets into the
 * payload, as ScanPlaces), and the texts. The ids and keys go on to the store (TextKeys), which
 * finds its own ids for them without hashing the texts again.
 */
const S_VERDICT = 0;
/** hasSdp 1, viaReceived 2, method new 4, CSeq method new 8, phrase new 16, Call-ID new 32, Reason new 64; Reason/Warning lines << 8. */
const S_FLAGS = 1;
const S_STATUS = 2;
const S_MASK = 3;
const S_METHOD = 4;
const S_CSEQ_METHOD = 5;
const S_PHRASE = 6;
/** Byte lengths of the texts that follow, in this order: method, CSeq method, phrase, Call-ID (new ones only), X-Call-ID, Reason (new only). */
const S_LENS = 7;
const S_OTHERS = 13;
const S_IDENTITIES = 14;
const S_PLACES = 15;
/** payloadHash of the payload (the store's, for retransmissions and duplicates). */
const S_HASH = 27;
/** CSeq number as a double (at 8-byte unit 14 of the section). */
const S_CSEQ_D = 14;
/** The Call-ID's key, the Reason's text id. */
const S_CALL = 30;
const S_REASON = 31;
const SCAN_HEAD = 128;
/** Reason/Warning lines counted in the flags word's upper 24 bits: no message holds more. */
const MAX_REASONS = 0xffffff;
const SCAN_SKIPS: readonly SipScanSkip[] = ['not-sip', 'sip-bad-start-line', 'sip-no-call-id'];

/**
 * A media record: 32-bit words, the time's seconds as a double at byte 40, then the new address
 * texts from byte M_HEAD and the payload at M_PAYLOAD, placed at the same address modulo 4 as its
 * source bytes so it is copied a word at a time (Buffer.copy of a part of a buffer builds a view).
 */
/** kind | in frame << 8 | new texts << 24 (src 1, dst 2). */
const M_FRAME = 2;
const M_SRC = 3;
const M_DST = 4;
/** srcLen | dstLen << 16 (new texts only). */
const M_TEXT_LENS = 5;
const M_PORTS = 6;
const M_PAYLOAD_LEN = 7;
const M_NSEC = 8;
/** Where the payload starts, from the body's start. */
const M_PAYLOAD = 9;
const M_SEC_D = 5;
const M_HEAD = 48;

/** Skip and event records: [kind, frames], then (skip) reason | has detail << 16, then the text from byte 16. */
const TEXT_AT = 16;

/** Typed views of a ring's bytes. */
class Views {
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;

  constructor(readonly buf: Buffer) {
    this.u32 = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
    this.i32 = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
    this.f64 = new Float64Array(buf.buffer, buf.byteOffset, buf.length >> 3);
    this.i64 = new BigInt64Array(buf.buffer, buf.byteOffset, buf.length >> 3);
  }
}

/** Rare things a decoding thread reports, in order with its records. */
export type DecodeEvent =
  | { type: 'progress'; read: number; total: number }
  | { type: 'warn'; text: string }
  | { type: 'opened' }
  | { type: 'end'; end: { frames: number; truncated?: string; warnings?: string[] } }
  | { type: 'error'; message: string; exitCode: number; input: boolean; stack?: string };

/**
 * The decoding thread's end: a DatagramSink that writes records, waiting for room when the ring
 * is full (a file must lose nothing). wake() is called when the reader sleeps and must be woken.
 */
export class DatagramRecordWriter implements DatagramSink {
  /** Frames delivered so far (the source's count; a filter may have passed fewer than it read). */
  frames = 0;
  /** Whether a frame is being decoded (false while the decoder flushes at the end). */
  inFrame = false;
  /** Nothing is written: the main thread decoded these frames itself (decode-worker.ts). */
  quiet = false;
  private offered = false;
  private sec = 0;
  private nsec = 0;
  private sleeping = false;
  /** Text → id of the addresses and nodes numbered so far; the reader keeps the other direction. */
  private readonly ids = new Map<string, number>();
  /** Call-ID → key, numbered apart (there are far more of them than of the other texts). */
  private readonly callKeys = new CallKeys(CALL_KEYS);

  private readonly views: Views;
  private readonly names: HeaderNames = { mask: 0, others: [], identities: [] };
  private readonly places = scanPlaces();
  /** The payload being written (its hash goes with its scan). */
  private payload: Buffer = EMPTY;
  /** The index of the frame being decoded (set by the thread for each frame; a media record names it). */
  frame = 0;
  private readonly copier: WordCopier;
  /** The ids of media packets' addresses, by port. */
  private readonly srcAt = new PortTexts((text) => this.id(text));
  private readonly dstAt = new PortTexts((text) => this.id(text));

  constructor(private readonly ring: RingWriter, private readonly wake: () => void) {
    this.views = new Views(ring.buf);
    this.copier = new WordCopier(this.views);
  }

  /** The id of an address or node text, as -1 - id when it is new (its text goes with the record). */
  private id(text: string): number {
    const known = this.ids.get(text);
    if (known !== undefined) return known;
    if (this.ids.size >= MAX_TEXT_IDS) {
      this.ids.clear();
      this.srcAt.forget();
      this.dstAt.forget();
    }
    const id = this.ids.size;
    this.ids.set(text, id);
    return -1 - id;
  }

  /**
   * The decoder offers plain UDP first. What cannot be SIP goes as a media record, taken here (the
   * reading thread's media lane takes it, as pipeline.ts's udp() would); for the rest, taken or not
   * is for the reading thread to say, so the datagram follows, marked.
   */
  udp(u: UdpView): boolean {
    if (this.quiet) return true;
    if (!maySipStart(u.buf, u.off, u.end) && !isSipPort(u.sport) && !isSipPort(u.dport)) {
      this.media(u);
      return true;
    }
    this.offered = true;
    this.sec = u.sec;
    this.nsec = u.nsec;
    return false;
  }

  private media(u: UdpView): void {
    let src = this.srcAt.id(u.src, u.sport);
    const srcNew = src < 0;
    if (srcNew) src = -1 - src;
    let dst = this.dstAt.id(u.dst, u.dport);
    const dstNew = dst < 0;
    if (dstNew) dst = -1 - dst;
    const srcLen = srcNew ? u.src.length : 0;
    const dstLen = dstNew ? u.dst.length : 0;
    const n = u.end - u.off;
    const at = this.room(M_HEAD + srcLen + dstLen + 3 + n);
    const { buf, u32, f64 } = this.views;
    const w = at >> 2;
    u32[w + W_KIND] = K_MEDIA | ((this.inFrame ? 1 : 0) << 8) | (((srcNew ? 1 : 0) | (dstNew ? 2 : 0)) << 24);
    u32[w + W_FRAMES] = this.frames;
    u32[w + M_FRAME] = this.frame;
    u32[w + M_SRC] = src;
    u32[w + M_DST] = dst;
    u32[w + M_TEXT_LENS] = srcLen | (dstLen << 16);
    u32[w + M_PORTS] = u.sport | (u.dport << 16);
    u32[w + M_PAYLOAD_LEN] = n;
    u32[w + M_NSEC] = u.nsec;
    f64[(at >> 3) + M_SEC_D] = u.sec;
    let p = at + M_HEAD;
    if (srcNew) p += buf.write(u.src, p, 'latin1');
    if (dstNew) p += buf.write(u.dst, p, 'latin1');
    p += (u.buf.byteOffset + u.off - p) & 3;
    u32[w + M_PAYLOAD] = p - at;
    this.copier.copy(u.buf, u.off, u.end, p);
    this.commit(p + n - at);
  }

  datagram(d: Datagram): void {
    if (this.quiet) return;
    const carrier = d.carrier;
    const refs = d.frames;
    const node = d.node;
    const payload = d.payload;
    const frameData = carrier?.data;
    const within = frameData !== undefined && payload.buffer === frameData.buffer ? payload.byteOffset - frameData.byteOffset : -1;
    const apart = frameData !== undefined && (within < 0 || within + payload.length > frameData.length);
    const nodeText = node === undefined ? '' : node.length > MAX_TEXT ? node.slice(0, MAX_TEXT) : node;
    let src = this.id(d.src);
    const srcNew = src < 0;
    if (srcNew) src = -1 - src;
    let dst = this.id(d.dst);
    const dstNew = dst < 0;
    if (dstNew) dst = -1 - dst;
    let nodeId = node === undefined ? 0 : this.id(nodeText);
    const nodeNew = nodeId < 0;
    if (nodeNew) nodeId = -1 - nodeId;
    const textLen = (srcNew ? d.src.length : 0) + (dstNew ? d.dst.length : 0) + (nodeNew ? nodeText.length : 0);
    const bytesLen = (frameData?.length ?? 0) + (frameData === undefined || apart ? payload.length : 0);
    const scan = scanSip(payload, this.names, this.places);
    this.payload = payload;
    // Up to 7 bytes of padding put the bytes at their source's address modulo 8 (W_BYTES).
    let len = DATAGRAM_HEAD + pad8(textLen + 7 + bytesLen) + this.scanLength(scan);
    if (refs !== undefined) for (const r of refs) len += REF_HEAD + pad8(r.data?.length ?? 0);
    // A hostile reassembly (hundreds of big frames copied from a stream) would not fit: its frames are not kept.
    const keepRefs = refs !== undefined && len <= this.ring.maxBody;
    if (!keepRefs && refs !== undefined) for (const r of refs) len -= pad8(r.data?.length ?? 0);
    const at = this.room(len);
    const { buf, u32, f64, i64 } = this.views;
    const flags = (this.offered ? F_OFFERED : 0) | (this.inFrame ? F_IN_FRAME : 0) | (carrier !== undefined ? F_CARRIER : 0) |
      (refs !== undefined ? F_FRAMES : 0) | (d.viaHep === true ? F_VIA_HEP : 0) | (d.rtcp === true ? F_RTCP : 0) | (node !== undefined ? F_NODE : 0) |
      (apart ? F_APART : 0);
    this.offered = false;
    const w = at >> 2;
    const q = at >> 3;
    u32[w + W_KIND] = K_DATAGRAM | (flags << 8) | (TRANSPORTS.indexOf(d.transport) << 16) | (((srcNew ? 1 : 0) | (dstNew ? 2 : 0) | (nodeNew ? 4 : 0)) << 24);
    u32[w + W_FRAMES] = this.frames;
    u32[w + W_FRAME] = d.frame;
    u32[w + W_SRC] = src;
    u32[w + W_DST] = dst;
    u32[w + W_NODE] = nodeId;
    u32[w + W_TEXT_LENS] = (srcNew ? d.src.length : 0) | ((dstNew ? d.dst.length : 0) << 16);
    u32[w + W_NODE_REFS] = (nodeNew ? nodeText.length : 0) | ((refs?.length ?? 0) << 16);
    u32[w + W_PORTS] = d.sport | (d.dport << 16);
    u32[w + W_PAYLOAD_LEN] = payload.length;
    u32[w + W_NSEC] = this.nsec;
    i64[q + D_TS] = d.ts;
    f64[q + D_FILE_OFFSET] = d.fileOffset;
    f64[q + D_SEC] = this.sec;
    if (carrier !== undefined) {
      u32[w + W_ORIG_LEN] = carrier.origLen;
      u32[w + W_LINKTYPE] = carrier.linktype;
      u32[w + W_FRAME_LEN] = carrier.data.length;
      u32[w + W_PAYLOAD_IN_FRAME] = apart ? carrier.data.length : within;
      f64[q + D_FRAME_FILE_OFFSET] = carrier.fileOffset;
    }
    let p = at + DATAGRAM_HEAD;
    if (srcNew) p += buf.write(d.src, p, 'latin1');
    if (dstNew) p += buf.write(d.dst, p, 'latin1');
    if (nodeNew) p += buf.write(nodeText, p, 'latin1');
    const first = frameData ?? payload;
    p += (first.byteOffset - p) & 7;
    u32[w + W_BYTES] = p - at;
    if (frameData !== undefined) {
      buf.set(frameData, p);
      p += frameData.length;
    }
    if (frameData === undefined || apart) {
      buf.set(payload, p);
      p += payload.length;
    }
    p = at + pad8(p - at);
    if (refs !== undefined) {
      for (const r of refs) {
        const data = keepRefs ? r.data : undefined;
        i64[p >> 3] = r.ts;
        f64[(p >> 3) + 1] = r.fileOffset;
        u32[(p >> 2) + 4] = r.linktype;
        u32[(p >> 2) + 5] = r.caplen;
        u32[(p >> 2) + 6] = r.origLen;
        u32[(p >> 2) + 7] = data === undefined ? NO_DATA : data.length;
        p += REF_HEAD;
        if (data !== undefined) p += pad8(data.copy(buf, p));
      }
    }
    p = this.writeScan(scan, p);
    this.payload = EMPTY;
    this.commit(p - at);
  }

  /** Bytes the scan section of `scan` takes (this.names filled by its scanSip). */
  private scanLength(scan: SipScan | SipScanSkip): number {
    if (typeof scan === 'string') return 8;
    // Texts as UTF-8 (Call-ID and reason phrase may hold any byte as latin1 chars): at most 3 bytes a char.
    const texts = 3 * (scan.method.length + scan.cseqMethod.length + scan.reasonPhrase.length + scan.callId.length + scan.xCallId.length + scan.reason.length);
    return SCAN_HEAD + 4 * (this.names.others.length + this.names.identities.length) + pad8(texts);
  }

  private writeScan(scan: SipScan | SipScanSkip, at: number): number {
    const { buf, u32, i32, f64 } = this.views;
    const w = at >> 2;
    if (typeof scan === 'string') {
      u32[w + S_VERDICT] = 1 + SCAN_SKIPS.indexOf(scan);
      return at + 8;
    }
    const names = this.names;
    const places = this.places;
    u32[w + S_VERDICT] = 0;
    u32[w + S_STATUS] = scan.status;
    u32[w + S_MASK] = names.mask;
    i32[w + S_HASH] = payloadHash(this.payload);
    f64[(at >> 3) + S_CSEQ_D] = scan.cseq;
    let p = at + SCAN_HEAD;
    const others = names.others;
    u32[w + S_OTHERS] = others.length;
    for (let k = 0; k < others.length; k++) u32[(p >> 2) + k] = others[k]!;
    p += 4 * others.length;
    const identities = names.identities;
    u32[w + S_IDENTITIES] = identities.length;
    for (let k = 0; k < identities.length; k++) i32[(p >> 2) + k] = identities[k]!;
    p += 4 * identities.length;
    i32[w + S_PLACES] = places.from;
    i32[w + S_PLACES + 1] = places.fromEnd;
    i32[w + S_PLACES + 2] = places.to;
    i32[w + S_PLACES + 3] = places.toEnd;
    i32[w + S_PLACES + 4] = places.userAgent;
    i32[w + S_PLACES + 5] = places.userAgentEnd;
    i32[w + S_PLACES + 6] = places.server;
    i32[w + S_PLACES + 7] = places.serverEnd;
    i32[w + S_PLACES + 8] = places.text;
    i32[w + S_PLACES + 9] = places.textEnd;
    i32[w + S_PLACES + 10] = places.sdp;
    i32[w + S_PLACES + 11] = places.sdpEnd;
    // A recurring text is an id; a new id brings its text (flags 4, 8, 16).
    const lens = w + S_LENS;
    const method = this.id(scan.method);
    const cseqMethod = this.id(scan.cseqMethod);
    const phrase = this.id(scan.reasonPhrase);
    u32[w + S_METHOD] = method < 0 ? -1 - method : method;
    u32[w + S_CSEQ_METHOD] = cseqMethod < 0 ? -1 - cseqMethod : cseqMethod;
    u32[w + S_PHRASE] = phrase < 0 ? -1 - phrase : phrase;
    const call = this.callKeys.key(scan.callId);
    u32[w + S_CALL] = call < 0 ? -1 - call : call;
    const reason = this.id(scan.reason);
    u32[w + S_REASON] = reason < 0 ? -1 - reason : reason;
    u32[w + S_FLAGS] = (scan.hasSdp ? 1 : 0) | (scan.viaReceived ? 2 : 0) | (method < 0 ? 4 : 0) | (cseqMethod < 0 ? 8 : 0) | (phrase < 0 ? 16 : 0) |
      (call < 0 ? 32 : 0) | (reason < 0 ? 64 : 0) | (Math.min(scan.reasons, MAX_REASONS) << 8);
    p += u32[lens] = writeUtf8(buf, method < 0 ? scan.method : '', p);
    p += u32[lens + 1] = writeUtf8(buf, cseqMethod < 0 ? scan.cseqMethod : '', p);
    p += u32[lens + 2] = writeUtf8(buf, phrase < 0 ? scan.reasonPhrase : '', p);
    p += u32[lens + 3] = writeUtf8(buf, call < 0 ? scan.callId : '', p);
    p += u32[lens + 4] = writeUtf8(buf, scan.xCallId, p);
    p += u32[lens + 5] = writeUtf8(buf, reason < 0 ? scan.reason : '', p);
    return at + pad8(p - at);
  }

  skip(reason: SkipReason, detail?: string): void {
    if (this.quiet) return;
    const len = TEXT_AT + (detail === undefined ? 0 : Buffer.byteLength(detail));
    const at = this.room(len);
    const u32 = this.views.u32;
    u32[at >> 2] = K_SKIP;
    u32[(at >> 2) + 1] = this.frames;
    u32[(at >> 2) + 2] = REASON_INDEX.get(reason)! | ((detail === undefined ? 0 : 1) << 16);
    if (detail !== undefined) this.views.buf.write(detail, at + TEXT_AT, 'utf8');
    this.commit(len);
  }

  event(e: DecodeEvent): void {
    const text = JSON.stringify(e);
    const len = TEXT_AT + Buffer.byteLength(text);
    const at = this.room(len);
    const u32 = this.views.u32;
    u32[at >> 2] = K_EVENT;
    u32[(at >> 2) + 1] = this.frames;
    this.views.buf.write(text, at + TEXT_AT, 'utf8');
    this.commit(len);
    this.flush();
  }

  /** Publishes what is written and wakes a sleeping reader (the end of a chunk, an event): records between are not each a wake-up. */
  flush(): void {
    if (this.ring.publish() || this.sleeping) {
      this.sleeping = false;
      this.wake();
    }
  }

  private room(len: number): number {
    let at = this.ring.reserve(len);
    while (at < 0) {
      this.flush();
      // Payloads are bounded (MAX_STREAM_MESSAGE, a frame's caplen) well below the ring's half.
      if (!this.ring.waitForRoom(len)) throw new Error(`a decoded record of ${len} bytes does not fit the ring`);
      at = this.ring.reserve(len);
    }
    return at;
  }

  private commit(len: number): void {
    if (this.ring.commit(len)) this.sleeping = true;
  }
}

/** What the reading thread does with the decoder's output. */
export interface DecodedSink {
  /** Frames delivered so far went up to `count`. */
  frames(count: number): void;
  /**
   * A datagram and scanSip's result on its payload (names and places are those the reader filled,
   * as scanSip fills them), with the keys of its texts; inFrame false when it came out of the
   * decoder's flush at the end of input.
   */
  datagram(
    d: Datagram, inFrame: boolean, scan: SipScan | SipScanSkip, names: HeaderNames, places: ScanPlaces, hash: number, keys: Readonly<TextKeys>,
  ): void;
  /** The decoder offered plain UDP first (DatagramSink.udp); true when taken, and then no datagram is built. */
  udp(u: UdpView, inFrame: boolean): boolean;
  skip(reason: SkipReason, detail?: string): void;
  event(e: DecodeEvent): void;
}

/**
 * The frame a payload came in, refilled per record: valid during the call, as a source's. Its bytes
 * are kept as where they lie in the ring (`raw`, as a FileFrame's), the Buffer view made only when
 * `data` is read: the store reads a file's frame by its place and length alone.
 */
class RingFrame extends LazyViewFrame {
  ts = 0n;

  fill(index: number, ts: bigint, linktype: number, bytes: Buffer, start: number, end: number, origLen: number, fileOffset: number): void {
    this.place(index, linktype, bytes, start, end, origLen, fileOffset);
    this.ts = ts;
  }

  /** Lets go of the ring's bytes after the call. */
  clear(): void {
    this.place(this.index, this.linktype, EMPTY, 0, 0, this.origLen, this.fileOffset);
  }

  /** The time as RawFrame's seconds and nanoseconds (read by nothing per packet: the record carries the BigInt). */
  get sec(): number {
    return Number((this.ts - BigInt(this.nsec)) / NS_PER_S);
  }

  get nsec(): number {
    return Number(((this.ts % NS_PER_S) + NS_PER_S) % NS_PER_S);
  }
}

/** The reading thread's end: handles one record (RingReader.drain's `each`). */
export class DatagramRecordReader {
  /** Address and node texts by the writer's ids. */
  private readonly texts: string[] = [];
  /** Call-IDs by the writer's keys. */
  private readonly callIds: string[] = [];
  /** The keys of the datagram being handed on, refilled per record. */
  private readonly keys: TextKeys = { ...NO_TEXT_KEYS };
  /** The datagram and scan handed on, refilled per record: valid during the call, as the payload they hold. */
  private readonly dgram: Datagram = {
    frame: 0, ts: 0n, src: '', sport: 0, dst: '', dport: 0, transport: 'UDP', payload: EMPTY, fileOffset: -1,
    viaHep: undefined, node: undefined, rtcp: undefined, carrier: undefined, frames: undefined,
  };
  private readonly scanned: SipScan = {
    method: '', status: 0, callId: '', cseq: 0, cseqMethod: '', hasSdp: false, xCallId: '', reason: '', reasons: 0, viaReceived: false, reasonPhrase: '',
  };
  private readonly view: UdpView = { sec: 0, nsec: 0, src: '', sport: 0, dst: '', dport: 0, buf: EMPTY, off: 0, end: 0 };
  private readonly frame = new RingFrame();
  private frames = 0;
  private views: Views | undefined;
  private readonly names: HeaderNames = { mask: 0, others: [], identities: [] };
  private readonly places = scanPlaces();

  constructor(private readonly sink: DecodedSink) {}

  readonly each = (buf: Buffer, off: number, end: number): void => {
    const v = this.views?.buf === buf ? this.views : (this.views = new Views(buf));
    const w = off >> 2;
    const frames = v.u32[w + W_FRAMES]!;
    if (frames > this.frames) {
      this.frames = frames;
      this.sink.frames(frames);
    }
    const kind = v.u32[w + W_KIND]! & 0xff;
    if (kind === K_MEDIA) this.media(v, off);
    else if (kind === K_DATAGRAM) this.datagram(v, off);
    else if (kind === K_SKIP) {
      const word = v.u32[w + 2]!;
      this.sink.skip(SKIP_REASONS[word & 0xffff]!, word >>> 16 === 1 ? buf.toString('utf8', off + TEXT_AT, end) : undefined);
    } else if (kind === K_EVENT) this.sink.event(JSON.parse(buf.toString('utf8', off + TEXT_AT, end)) as DecodeEvent);
  };

  /** The text of id `id`; a new one is spelt by buf[a, b). */
  private text(id: number, isNew: boolean, buf: Buffer, a: number, b: number): string {
    if (isNew) this.texts[id] = buf.toString('latin1', a, b);
    return this.texts[id]!;
  }

  /**
   * A media record: offered as the decoder's UdpView; when not taken (a T.38 port, the end of
   * input), as the Datagram the decoder would have made, which cannot be SIP (scanSip: not-sip).
   * Only the store's look at SIP and T.38 read such a datagram: it needs neither frame nor file offset.
   */
  private media(v: Views, at: number): void {
    const { buf, u32, f64 } = v;
    const w = at >> 2;
    const head = u32[w + W_KIND]!;
    const news = head >>> 24;
    const inFrame = ((head >>> 8) & 1) !== 0;
    const lens = u32[w + M_TEXT_LENS]!;
    const srcEnd = at + M_HEAD + (lens & 0xffff);
    const dstEnd = srcEnd + (lens >>> 16);
    const src = (news & 1) !== 0 ? this.text(u32[w + M_SRC]!, true, buf, at + M_HEAD, srcEnd) : this.texts[u32[w + M_SRC]!]!;
    const dst = (news & 2) !== 0 ? this.text(u32[w + M_DST]!, true, buf, srcEnd, dstEnd) : this.texts[u32[w + M_DST]!]!;
    const ports = u32[w + M_PORTS]!;
    const off = at + u32[w + M_PAYLOAD]!;
    const end = off + u32[w + M_PAYLOAD_LEN]!;
    const sec = f64[(at >> 3) + M_SEC_D]!;
    const nsec = u32[w + M_NSEC]!;
    if (this.offerUdp(sec, nsec, src, ports & 0xffff, dst, ports >>> 16, buf, off, end, inFrame)) return;
    this.sink.datagram({
      frame: u32[w + M_FRAME]!, ts: BigInt(sec) * NS_PER_S + BigInt(nsec), src, sport: ports & 0xffff, dst, dport: ports >>> 16, transport: 'UDP',
      payload: buf.subarray(off, end), fileOffset: -1,
    }, inFrame, 'not-sip', this.names, this.places, 0, NO_TEXT_KEYS);
  }

  /** Offers buf[off, end) to the media plane through the one reused view; true when it took it. */
  private offerUdp(sec: number, nsec: number, src: string, sport: number, dst: string, dport: number, buf: Buffer, off: number, end: number, inFrame: boolean): boolean {
    const u = this.view;
    u.sec = sec;
    u.nsec = nsec;
    u.src = src;
    u.sport = sport;
    u.dst = dst;
    u.dport = dport;
    u.buf = buf;
    u.off = off;
    u.end = end;
    const taken = this.sink.udp(u, inFrame);
    u.buf = EMPTY;
    return taken;
  }

  private datagram(v: Views, at: number): void {
    const { buf, u32, f64, i64 } = v;
    const w = at >> 2;
    const q = at >> 3;
    const head = u32[w + W_KIND]!;
    const flags = (head >>> 8) & 0xff;
    const news = head >>> 24;
    const inFrame = (flags & F_IN_FRAME) !== 0;
    const lens = u32[w + W_TEXT_LENS]!;
    const nodeRefs = u32[w + W_NODE_REFS]!;
    const srcEnd = at + DATAGRAM_HEAD + (lens & 0xffff);
    const dstEnd = srcEnd + (lens >>> 16);
    const nodeEnd = dstEnd + (nodeRefs & 0xffff);
    const src = (news & 1) !== 0 ? this.text(u32[w + W_SRC]!, true, buf, at + DATAGRAM_HEAD, srcEnd) : this.texts[u32[w + W_SRC]!]!;
    const dst = (news & 2) !== 0 ? this.text(u32[w + W_DST]!, true, buf, srcEnd, dstEnd) : this.texts[u32[w + W_DST]!]!;
    const carried = (flags & F_CARRIER) !== 0;
    const payloadLength = u32[w + W_PAYLOAD_LEN]!;
    const frameLength = carried ? u32[w + W_FRAME_LEN]! : 0;
    const bytesAt = at + u32[w + W_BYTES]!;
    const payloadAt = bytesAt + (carried ? u32[w + W_PAYLOAD_IN_FRAME]! : 0);
    const ports = u32[w + W_PORTS]!;
    const sport = ports & 0xffff;
    const dport = ports >>> 16;
    if ((flags & F_OFFERED) !== 0 && this.offerUdp(f64[q + D_SEC]!, u32[w + W_NSEC]!, src, sport, dst, dport, buf, payloadAt, payloadAt + payloadLength, inFrame)) {
      return;
    }
    const ts = i64[q + D_TS]!;
    let carrier: Frame | undefined;
    if (carried) {
      carrier = this.frame;
      this.frame.fill(u32[w + W_FRAME]!, ts, u32[w + W_LINKTYPE]!, buf, bytesAt, bytesAt + frameLength, u32[w + W_ORIG_LEN]!, f64[q + D_FRAME_FILE_OFFSET]!);
    }
    let frames: FrameRef[] | undefined;
    const bytesEnd = (flags & F_APART) !== 0 || !carried ? payloadAt + payloadLength : bytesAt + frameLength;
    let p = at + pad8(bytesEnd - at);
    if ((flags & F_FRAMES) !== 0) {
      frames = [];
      for (let k = nodeRefs >>> 16; k > 0; k--) {
        const dataLength = u32[(p >> 2) + 7]!;
        frames.push({
          ts: i64[p >> 3]!, fileOffset: f64[(p >> 3) + 1]!, linktype: u32[(p >> 2) + 4]!, caplen: u32[(p >> 2) + 5]!, origLen: u32[(p >> 2) + 6]!,
          data: dataLength === NO_DATA ? undefined : buf.subarray(p + REF_HEAD, p + REF_HEAD + dataLength),
        });
        p += REF_HEAD + (dataLength === NO_DATA ? 0 : pad8(dataLength));
      }
    }
    const scan = this.scan(v, p);
    this.keys.src = u32[w + W_SRC]!;
    this.keys.dst = u32[w + W_DST]!;
    const d = this.dgram;
    d.frame = u32[w + W_FRAME]!;
    d.ts = ts;
    d.src = src;
    d.sport = sport;
    d.dst = dst;
    d.dport = dport;
    d.transport = TRANSPORTS[(head >>> 16) & 0xff]!;
    d.payload = buf.subarray(payloadAt, payloadAt + payloadLength);
    d.fileOffset = f64[q + D_FILE_OFFSET]!;
    d.viaHep = (flags & F_VIA_HEP) !== 0 ? true : undefined;
    d.node = (flags & F_NODE) !== 0 ? this.text(u32[w + W_NODE]!, (news & 4) !== 0, buf, dstEnd, nodeEnd) : undefined;
    d.rtcp = (flags & F_RTCP) !== 0 ? true : undefined;
    d.carrier = carrier;
    d.frames = frames;
    this.sink.datagram(d, inFrame, scan, this.names, this.places, v.i32[(p >> 2) + S_HASH]!, this.keys);
    d.payload = EMPTY;
    d.carrier = undefined;
    d.frames = undefined;
    this.frame.clear();
  }

  /** The scan section at buf[at]: scanSip's result, with this.names, this.places and this.keys (but src, dst) filled. */
  private scan(v: Views, at: number): SipScan | SipScanSkip {
    const { buf, u32, i32, f64 } = v;
    const w = at >> 2;
    const verdict = u32[w + S_VERDICT]!;
    if (verdict !== 0) return SCAN_SKIPS[verdict - 1]!;
    const flags = u32[w + S_FLAGS]!;
    const names = this.names;
    names.mask = u32[w + S_MASK]!;
    let p = (at + SCAN_HEAD) >> 2;
    p = refill(names.others, u32, p, u32[w + S_OTHERS]!);
    p = refill(names.identities, i32, p, u32[w + S_IDENTITIES]!);
    const places = this.places;
    places.from = i32[w + S_PLACES]!;
    places.fromEnd = i32[w + S_PLACES + 1]!;
    places.to = i32[w + S_PLACES + 2]!;
    places.toEnd = i32[w + S_PLACES + 3]!;
    places.userAgent = i32[w + S_PLACES + 4]!;
    places.userAgentEnd = i32[w + S_PLACES + 5]!;
    places.server = i32[w + S_PLACES + 6]!;
    places.serverEnd = i32[w + S_PLACES + 7]!;
    places.text = i32[w + S_PLACES + 8]!;
    places.textEnd = i32[w + S_PLACES + 9]!;
    places.sdp = i32[w + S_PLACES + 10]!;
    places.sdpEnd = i32[w + S_PLACES + 11]!;
    let t = p << 2;
    const lens = w + S_LENS;
    const method = this.recurring(buf, u32[w + S_METHOD]!, (flags & 4) !== 0, t, u32[lens]!);
    t += u32[lens]!;
    const cseqMethod = this.recurring(buf, u32[w + S_CSEQ_METHOD]!, (flags & 8) !== 0, t, u32[lens + 1]!);
    t += u32[lens + 1]!;
    const reasonPhrase = this.recurring(buf, u32[w + S_PHRASE]!, (flags & 16) !== 0, t, u32[lens + 2]!);
    t += u32[lens + 2]!;
    const call = u32[w + S_CALL]!;
    if ((flags & 32) !== 0) this.callIds[call] = utf8(buf, t, u32[lens + 3]!);
    const callId = this.callIds[call]!;
    t += u32[lens + 3]!;
    const keys = this.keys;
    keys.callId = call;
    keys.method = u32[w + S_METHOD]!;
    keys.cseqMethod = u32[w + S_CSEQ_METHOD]!;
    keys.reasonPhrase = u32[w + S_PHRASE]!;
    const xCallId = utf8(buf, t, u32[lens + 4]!);
    t += u32[lens + 4]!;
    const reason = this.recurring(buf, u32[w + S_REASON]!, (flags & 64) !== 0, t, u32[lens + 5]!);
    const out = this.scanned;
    out.method = method;
    out.status = u32[w + S_STATUS]!;
    out.callId = callId;
    out.cseq = f64[(at >> 3) + S_CSEQ_D]!;
    out.cseqMethod = cseqMethod;
    out.hasSdp = (flags & 1) !== 0;
    out.xCallId = xCallId;
    out.reason = reason;
    out.reasons = flags >>> 8;
    out.viaReceived = (flags & 2) !== 0;
    out.reasonPhrase = reasonPhrase;
    return out;
  }

  /** A recurring text by its id; a new one is spelt by the n bytes at buf[at]. */
  private recurring(buf: Buffer, id: number, isNew: boolean, at: number, n: number): string {
    if (!isNew) return this.texts[id]!;
    const s = utf8(buf, at, n);
    this.texts[id] = s;
    return s;
  }
}

/**
 * Refills `list` with the n words from[p …]; returns the index after them. Written over in place
 * and cut only when shorter: setting an array's length is a call into the runtime, and the
 * messages of a capture mostly carry as many names as the one before.
 */
function refill(list: number[], from: Uint32Array | Int32Array, p: number, n: number): number {
  for (let k = 0; k < n; k++) list[k] = from[p + k]!;
  if (list.length !== n) list.length = n;
  return p + n;
}

/** Writes t at buf[at]; the bytes written. */
function writeUtf8(buf: Buffer, t: string, at: number): number {
  return t.length === 0 ? 0 : buf.write(t, at, 'utf8');
}

function utf8(buf: Buffer, at: number, n: number): string {
  return n === 0 ? '' : buf.toString('utf8', at, at + n);
}

/**
 * Copies bytes into the ring without building a view per copy: a word at a time through Int32
 * views of both sides (the target placed at the source's address modulo 4), bytes at the ends.
 * The source's view is made once per source buffer (a reader's chunk), not per copy.
 */
class WordCopier {
  private from: ArrayBufferLike | undefined;
  private words: Int32Array<ArrayBufferLike> = new Int32Array(0);

  constructor(private readonly to: Views) {}

  /** Copies src[off, end) to the ring at `at`, where at ≡ src.byteOffset + off (mod 4). */
  copy(src: Buffer, off: number, end: number, at: number): void {
    const dst = this.to.buf;
    let a = src.byteOffset + off;
    const stop = src.byteOffset + end;
    let t = at;
    for (; (a & 3) !== 0 && a < stop; a++, t++) dst[t] = src[a - src.byteOffset]!;
    const whole = stop & ~3;
    if (a < whole) {
      if (this.from !== src.buffer) {
        this.from = src.buffer;
        this.words = new Int32Array(src.buffer, 0, src.buffer.byteLength >> 2);
      }
      const from = this.words;
      const into = this.to.i32;
      for (let k = a >> 2, j = t >> 2, last = whole >> 2; k < last; k++, j++) into[j] = from[k]!;
      t += whole - a;
      a = whole;
    }
    for (; a < stop; a++, t++) dst[t] = src[a - src.byteOffset]!;
  }
}

/**
 * The address text last seen at each port, with its id: a media stream names the same address at
 * the same port packet after packet, and the decoder hands the same interned string each time, so
 * a compare of it is cheaper than a look-up in the writer's map.
 */
class PortTexts {
  private readonly texts: string[] = new Array<string>(65536).fill('');
  private readonly ids = new Int32Array(65536);

  /** id: the writer's (-1 - id when new). */
  constructor(private readonly lookUp: (text: string) => number) {}

  id(text: string, port: number): number {
    if (this.texts[port] === text) return this.ids[port]!;
    const id = this.lookUp(text);
    this.texts[port] = text;
    this.ids[port] = id < 0 ? -1 - id : id;
    return id;
  }

  /** The writer numbers its texts again. */
  forget(): void {
    this.texts.fill('');
  }
}
