import type { SkipReason } from '../model/skip.js';
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
  /** True when the parser can go on after bytes were lost (its framing resynchronises), so a gap keeps it. */
  readonly keepsAcrossGaps?: boolean;
}

/** No single application message the decoder reassembles may exceed this. */
export const MAX_STREAM_MESSAGE = 1 << 20;

/**
 * What a stream heuristic makes of a stream's first bytes: parse it with `parser` from `at`
 * (counting `skip` once, e.g. for bytes passed over to get there), ignore the stream for good
 * (every segment then counts as `ignore`), wait for more bytes, or undefined: not this protocol.
 */
export type StreamVerdict =
  | { parser: StreamParser; at: number; skip?: SkipReason }
  | { ignore: SkipReason }
  | 'wait'
  | undefined;

/** Recognises one protocol on a TCP stream (decode/registry.ts lists them, in the order tried). */
export interface StreamHeuristic {
  readonly name: string;
  /** buf[p, end) are the stream's first bytes (after keep-alive line ends); p < end. cx is the stream's (addresses, TLS state). */
  detect(cx: DecodeContext, buf: Buffer, p: number, end: number): StreamVerdict;
}
