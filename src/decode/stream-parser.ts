import type { DecodeContext } from './context.js';

/**
 * Cuts application messages out of one direction of an in-order byte stream and emits them
 * through cx (whose addresses and ports are those of the stream). One instance per direction.
 */
export interface StreamParser {
  /**
   * Emits every complete message in buf[off, end) and returns where parsing resumes: an offset
   * up to end (the rest waits for more bytes), or beyond end when a message too large to keep
   * is being skipped (the stream then discards that many more bytes).
   */
  consume(cx: DecodeContext, buf: Buffer, off: number, end: number): number;
  /** Length of the message waiting at the resume point once known (0 while unknown), so the stream can hold bytes without re-parsing. */
  readonly need: number;
}

/** No single application message the decoder reassembles may exceed this. */
export const MAX_STREAM_MESSAGE = 1 << 20;
