import type { Datagram, DatagramSink, Transport } from '../model/datagram.js';
import type { Frame } from '../model/frame.js';
import { AddressNames } from './address.js';
import { FragmentTable } from './fragments.js';
import { SctpAssembler } from './sctp.js';
import { TcpStreams } from './tcp-stream.js';
import { TlsDecryption } from './tls.js';
import type { TlsSecrets } from './tls-keys.js';

/** What a protocol decoder returns: undefined when the bytes were used (emitted or buffered), else a skip reason. */
export type Skip = string | undefined;

/** A protocol decoder: reads buf[off, end) and hands what it carries to the next layer. */
export type Layer = (cx: DecodeContext, buf: Buffer, off: number, end: number) => Skip;

/** Encapsulations nested deeper than this are hostile or broken (and would only grow the stack). */
const MAX_DEPTH = 12;

/**
 * Per-frame decoding state shared by the protocol decoders: the frame, the innermost addresses
 * and ports seen so far, and whether the bytes being read still lie in frame.data.
 * Kept in one mutable object so the hot path allocates nothing per layer.
 */
export class DecodeContext {
  frame!: Frame;
  /** True while decoding bytes the decoder assembled (fragments, streams, inflated HEP): no file offset then. */
  owned = false;
  src = '';
  dst = '';
  sport = 0;
  dport = 0;
  private depth = 0;
  readonly names = new AddressNames();
  readonly fragments: FragmentTable;
  readonly streams = new TcpStreams();
  readonly sctp: SctpAssembler;
  readonly tls: TlsDecryption;

  constructor(readonly sink: DatagramSink, secrets?: TlsSecrets) {
    const drop = (reason: string): void => sink.skip(reason);
    this.fragments = new FragmentTable(drop);
    this.sctp = new SctpAssembler(drop);
    this.tls = new TlsDecryption(secrets);
  }

  begin(frame: Frame): void {
    this.frame = frame;
    this.owned = false;
    this.depth = 0;
  }

  /** Counts one more network layer; false once the nesting is implausibly deep. */
  enter(): boolean {
    return ++this.depth <= MAX_DEPTH;
  }

  /** Runs fn while the bytes being decoded are a buffer the decoder owns (a reassembled or inflated copy). */
  owning<T>(fn: () => T): T {
    const was = this.owned;
    this.owned = true;
    try {
      return fn();
    } finally {
      this.owned = was;
    }
  }

  decodeOwned(layer: Layer, buf: Buffer, off: number, end: number): Skip {
    return this.owning(() => layer(this, buf, off, end));
  }

  /** Emits buf[off, end) with the current addresses and ports. */
  emit(buf: Buffer, off: number, end: number, transport: Transport): void {
    this.sink.datagram({
      frame: this.frame.index,
      ts: this.frame.ts,
      src: this.src,
      sport: this.sport,
      dst: this.dst,
      dport: this.dport,
      transport,
      payload: buf.subarray(off, end),
      fileOffset: this.fileOffsetOf(buf, off),
      node: this.frame.node,
    });
  }

  /** Emits a payload the decoder assembled (no file offset). */
  emitCopy(payload: Buffer, transport: Transport): void {
    this.owning(() => this.emit(payload, 0, payload.length, transport));
  }

  emitDatagram(d: Datagram): void {
    this.sink.datagram(d);
  }

  /** File offset of buf[off] when it is an unmodified byte of frame.data in a seekable file, else -1. */
  fileOffsetOf(buf: Buffer, off: number): number {
    const f = this.frame;
    if (this.owned || f.fileOffset < 0) return -1;
    return f.fileOffset + (buf.byteOffset + off - f.data.byteOffset);
  }
}
