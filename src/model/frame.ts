import type { SkipReason } from './skip.js';

/**
 * One captured link-layer frame, as a source hands it to the decoder. Only valid during the
 * callback that receives it: a capture-file reader hands over one record, refilled for every frame.
 */
export interface Frame {
  /** 1-based frame number within its source. */
  index: number;
  /** Capture time in nanoseconds since the Unix epoch (a file reader makes the BigInt when it is first read). */
  readonly ts: bigint;
  /** pcap LINKTYPE_* of `data`. */
  linktype: number;
  /** Captured bytes (a file reader makes the view when it is first read). Copy what you keep. */
  readonly data: Buffer;
  /** Length of the packet on the wire (may exceed data.length when the snaplen cut it). */
  origLen: number;
  /** Offset of data[0] in the source file when the file is seekable and uncompressed, else -1. */
  fileOffset: number;
  /**
   * The capture agent that saw the frame when it came over HEP (its capture ID, or its address),
   * so traffic from many servers can be told apart; absent for local captures and files.
   */
  node?: string;
  /** The agent said it is RTCP (HEP type 5): read as RTCP whichever port it names. */
  rtcp?: boolean;
  /**
   * The same bytes and time without a Buffer view or a BigInt, when the source has them so (file
   * readers): what the per-packet path reads, so an RTP packet builds nothing. Not kept by copies.
   */
  readonly raw?: RawFrame;
}

/** A frame's bytes as where they lie, bytes[start, end), and its capture time as seconds + nanoseconds. */
export interface RawFrame {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  /** Whole seconds since the Unix epoch, and nanoseconds within the second (0 … 999,999,999). */
  readonly sec: number;
  readonly nsec: number;
}

/** Receives frames from a source. */
export interface FrameSink {
  frame(f: Frame): void;
  /** Secrets a capture carries (pcapng Decryption Secrets Block; type 0x544c534b is TLS key log text), before the frames they decrypt. */
  secrets?(type: number, data: Buffer): void;
  /** Reported between chunks so a UI can show percentage and packets/s. total is 0 when unknown. */
  progress?(bytesRead: number, totalBytes: number): void;
  /**
   * The input is what the source expects (a capture header was recognised, a device or socket is
   * open): from here on a problem is a warning, not a reason to refuse the input. Called at most once.
   * A live capture passes its link type, known before any frame arrives (so -O can write its header).
   */
  opened?(linktype?: number): void;
  /** Something of the input the source itself could not use (bad HEP, wrong auth key, a message too big for a frame): a fixed reason, as the decoder's. */
  skip?(reason: SkipReason): void;
  /** Something the user should know that does not stop the source (rate-limited by the source). */
  warn?(text: string): void;
  /**
   * An output is backed up (-H sending a file at its --hep-rate): a promise to await before
   * reading on, else undefined. Sources that can wait (files) ask now and then; live ones never do.
   */
  backlog?(): Promise<void> | undefined;
  /** A HEP log message (type 100) for the call its correlation ID names; false when it was not kept. */
  hepLog?(callId: string, ts: bigint, node: string, text: string): boolean;
}

/** A live source's counters: packets received and dropped (by the kernel buffer, or by the interface). */
export interface CaptureCounters {
  received: number;
  dropped: number;
  ifDropped: number;
}

export interface SourceEnd {
  frames: number;
  /** Set when the input ended inside a record: what was cut, with file and offset. */
  truncated?: string;
  /** Other things the user should know about the input (times out of range, messages not kept, …). */
  warnings?: string[];
}

/** A capture input: a file, stdin, libpcap, a TZSP or HEP listener, a text dump. */
export interface FrameSource {
  /** File path or device name, for headers and messages. */
  readonly name: string;
  /** Live sources keep running until stop(); file sources end by themselves. */
  readonly live: boolean;
  /**
   * Delivers every frame to sink. Resolves when the input ends (or after stop()).
   * Rejects with InputError for unreadable or unrecognised input.
   * Yields to the event loop between chunks so a UI stays responsive.
   */
  start(sink: FrameSink): Promise<SourceEnd>;
  /** Ends a running start() early; readAt keeps working until release(). */
  stop(): void;
  /** Byte access for lazy message loading; present only for seekable file sources. */
  readAt?(offset: number, length: number): Buffer;
  /** Stops the source and frees what readAt needs (a file's descriptor); for sources that hold one. */
  release?(): void;
  /** Receive and drop counters, for live sources that know them (libpcap, sockets). */
  stats?(): CaptureCounters;
}
