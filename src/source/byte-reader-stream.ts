import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../model/errors.js';
import type { FrameSink, SourceEnd } from '../model/frame.js';
import { ByteWindow, describeIoError } from './byte-reader.js';
import { GZIP_MAGIC_LENGTH, isGzip } from './format.js';
import { CaptureReader } from './pcap-file.js';

/** Starting size of the carry-over window; it grows for records that do not fit. */
const STREAM_WINDOW = 256 * 1024;

export interface StreamInput {
  name: string;
  /** Raw input bytes, possibly gzip-compressed. */
  chunks: AsyncIterable<Buffer | string>;
  /** Input size for progress reports, 0 when unknown. */
  total: number;
  /** Aborting ends reading early without error; the input stream must be tied to it (addAbortSignal). */
  signal: AbortSignal;
}

/**
 * Reads a pcap or pcapng capture from a stream as the bytes arrive, undoing gzip when the
 * stream starts with its magic. Frames have fileOffset -1. Progress counts raw (compressed) bytes.
 */
export async function readCaptureStream(input: StreamInput, sink: FrameSink): Promise<SourceEnd> {
  const { name, signal } = input;
  const reader = new CaptureReader(name, sink, false);
  const win = new ByteWindow(STREAM_WINDOW);
  let rawBytes = 0;
  let compressed = false;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of input.chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      rawBytes += bytes.length;
      yield bytes;
    }
  }
  try {
    const gunzipped = await undoGzip(counted());
    compressed = gunzipped.compressed;
    for await (const chunk of gunzipped.chunks) {
      win.append(chunk);
      while (reader.read(win) && !signal.aborted) await reader.resume();
      sink.progress?.(rawBytes, input.total);
      if (reader.stopped || signal.aborted) break;
    }
  } catch (err) {
    if (signal.aborted) return reader.ended();
    if (err instanceof InputError) throw err;
    if (!compressed || !isZlibError(err)) throw new InputError(`cannot read ${name}: ${describeIoError(err)}`);
    const message = `${name}: gzip data is truncated or corrupt after ${rawBytes} bytes (${describeIoError(err)})`;
    if (reader.frames === 0) throw new InputError(message);
    return reader.ended(message);
  }
  return signal.aborted ? reader.ended() : reader.finish(win);
}

/** Looks at the first bytes and, when they are gzip's magic, puts a decompressor in the way. */
async function undoGzip(chunks: AsyncIterator<Buffer>): Promise<{ chunks: AsyncIterable<Buffer>; compressed: boolean }> {
  const head: Buffer[] = [];
  let length = 0;
  while (length < GZIP_MAGIC_LENGTH) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    length += next.value.length;
  }
  const first = Buffer.concat(head, length);
  const whole = prepend(first, chunks);
  if (!isGzip(first)) return { chunks: whole, compressed: false };
  const gunzip = createGunzip();
  // Errors surface where gunzip is iterated; breaking out of that loop tears the chain down.
  pipeline(Readable.from(whole), gunzip, () => {});
  return { chunks: gunzip, compressed: true };
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (first.length > 0) yield first;
  // yield* forwards return() so an early stop reaches (and closes) the underlying stream.
  yield* { [Symbol.asyncIterator]: () => rest };
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}
