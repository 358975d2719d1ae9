import type { FrameRef } from '../model/datagram.js';
import type { SkipReason } from '../model/skip.js';
import type { DecodeContext, Skip } from './context.js';
import type { Assembled } from './fragments.js';
import { joinRefs } from './frame-refs.js';
import { MAX_STREAM_MESSAGE } from './stream-parser.js';

const COMMON_HEADER = 12;
const CHUNK_HEADER = 4;
const DATA = 0;
const DATA_HEADER = 16;
const FLAG_END = 0x01;
const FLAG_BEGIN = 0x02;
/** Partial user messages tracked at once; the oldest is dropped beyond this. */
const MAX_PARTIAL = 1024;

interface Partial {
  nextTsn: number;
  parts: Buffer[];
  len: number;
  /** The frames each part came in. */
  frames: (readonly FrameRef[])[];
}

/**
 * Joins user messages that SCTP split over several DATA chunks (B … E flags, consecutive
 * TSNs on one stream). Out-of-order fragments are not waited for: a hole drops the message.
 */
export class SctpAssembler {
  private readonly partial = new Map<string, Partial>();

  constructor(private readonly onDrop: (reason: SkipReason) => void) {}

  /** Adds one fragment (which came in `frames`); returns the whole message and its frames when this was its end. */
  add(key: string, tsn: number, flags: number, data: Buffer, frames: readonly FrameRef[]): Assembled | undefined {
    let m = this.partial.get(key);
    if ((flags & FLAG_BEGIN) !== 0) {
      if (m !== undefined) this.drop(key, 'sctp-incomplete');
      if (this.partial.size >= MAX_PARTIAL) this.drop(this.partial.keys().next().value as string, 'sctp-incomplete');
      m = { nextTsn: tsn, parts: [], len: 0, frames: [] };
      this.partial.set(key, m);
    } else if (m === undefined) {
      this.onDrop('sctp-orphan-fragment');
      return undefined;
    }
    if (tsn !== m.nextTsn || m.len + data.length > MAX_STREAM_MESSAGE) {
      this.drop(key, 'sctp-incomplete');
      return undefined;
    }
    m.parts.push(Buffer.from(data));
    m.frames.push(frames);
    m.len += data.length;
    m.nextTsn = (tsn + 1) >>> 0;
    if ((flags & FLAG_END) === 0) return undefined;
    this.partial.delete(key);
    return { data: Buffer.concat(m.parts, m.len), frames: joinRefs(m.frames) };
  }

  flush(): void {
    for (const key of [...this.partial.keys()]) this.drop(key, 'sctp-incomplete');
  }

  private drop(key: string, reason: SkipReason): void {
    this.partial.delete(key);
    this.onDrop(reason);
  }
}

/** SCTP: every DATA chunk's user data becomes a datagram (fragmented messages once whole); other chunks carry no payload. */
export function decodeSctp(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < COMMON_HEADER) return 'sctp-truncated';
  cx.sport = (buf[off] << 8) | buf[off + 1];
  cx.dport = (buf[off + 2] << 8) | buf[off + 3];
  let p = off + COMMON_HEADER;
  while (end - p >= CHUNK_HEADER) {
    const type = buf[p];
    const flags = buf[p + 1];
    const len = (buf[p + 2] << 8) | buf[p + 3];
    if (len < CHUNK_HEADER || len > end - p) return 'sctp-bad-chunk';
    if (type === DATA) {
      if (len < DATA_HEADER) return 'sctp-bad-chunk';
      dataChunk(cx, buf, p, len, flags);
    }
    p += (len + 3) & ~3;
  }
  return undefined;
}

function dataChunk(cx: DecodeContext, buf: Buffer, p: number, len: number, flags: number): void {
  const at = p + DATA_HEADER;
  const stop = p + len;
  if ((flags & (FLAG_BEGIN | FLAG_END)) === (FLAG_BEGIN | FLAG_END)) {
    cx.emit(buf, at, stop, 'SCTP');
    return;
  }
  const stream = (buf[p + 8] << 8) | buf[p + 9];
  const key = `${cx.src} ${cx.sport} ${cx.dst} ${cx.dport} ${stream}`;
  const whole = cx.sctp.add(key, buf.readUInt32BE(p + 4), flags, buf.subarray(at, stop), cx.currentRefs());
  if (whole !== undefined) cx.emitJoined(whole.data, 'SCTP', whole.frames);
}
