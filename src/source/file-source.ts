import * as fs from 'node:fs';
import { addAbortSignal } from 'node:stream';
import { promisify } from 'node:util';
import { InputError } from '../model/errors.js';
import type { FrameSink, FrameSource, SourceEnd } from '../model/frame.js';
import { ByteWindow, describeIoError } from './byte-reader.js';
import { readCaptureStream } from './byte-reader-stream.js';
import { GZIP_MAGIC_LENGTH, isGzip } from './format.js';
import { CaptureReader } from './pcap-file.js';
import { MAX_CAPLEN } from './pcap-classic.js';

/**
 * Bytes read per chunk: large enough for throughput, small enough to keep keys responsive and RSS flat
 * (the window and the read-ahead buffer hold about 2 chunks: 2.3 MB resident at 1 MB, 8.3 MB at 4 MB).
 */
const CHUNK = 1024 * 1024;
/** The first read is small: the first frames (and the screen's first rows) need not wait for 4 MB. */
const FIRST_CHUNK = 64 * 1024;

const readAsync = promisify(fs.read);

/** A source dropped without stop() must not leak its descriptor. */
const closeWhenCollected = new FinalizationRegistry<number>((fd) => fs.close(fd, () => {}));

/**
 * A FrameSource over a capture file, recognised by its magic: pcap, pcapng, or either
 * gzip-compressed. Never throws; open and format failures reject start() with InputError.
 *
 * For uncompressed regular files, readAt() reads bytes through a descriptor kept open from
 * here until release(), so it keeps working after start() resolved or was stopped (a signal
 * ends the reading, and the run still reads messages back to finish); call release() when the
 * capture is closed. Compressed files and pipes are streamed: fileOffset is -1 and
 * readAt is absent.
 */
export function openFile(path: string): FrameSource {
  return new FileSource(path);
}

class FileSource implements FrameSource {
  readonly live = false;
  readAt?: (offset: number, length: number) => Buffer;
  private fd = -1;
  private size = 0;
  private failure: InputError | undefined;
  private seekable = false;
  private running = false;
  private released = false;
  private readonly abort = new AbortController();

  constructor(readonly name: string) {
    try {
      this.fd = fs.openSync(name, 'r');
      closeWhenCollected.register(this, this.fd, this);
      const stat = fs.fstatSync(this.fd);
      if (stat.isDirectory()) throw new InputError(`cannot open ${name}: is a directory`);
      this.size = stat.size;
      if (stat.isFile()) {
        if (this.size === 0) throw new InputError(`${name}: empty file`);
        this.seekable = !isGzip(this.readBytes(0, GZIP_MAGIC_LENGTH));
      }
    } catch (err) {
      this.failure = err instanceof InputError ? err : new InputError(`cannot open ${name}: ${describeIoError(err)}`);
      this.close();
    }
    if (this.seekable) this.readAt = (offset, length) => this.readBytes(offset, length);
  }

  async start(sink: FrameSink): Promise<SourceEnd> {
    if (this.failure) throw this.failure;
    this.running = true;
    try {
      return this.seekable ? await this.readRecords(sink) : await this.readStream(sink);
    } finally {
      this.running = false;
      if (!this.seekable || this.released) this.close();
    }
  }

  /** Ends a running start() after its current chunk; readAt keeps working until release(). */
  stop(): void {
    this.abort.abort();
    // A stream has no readAt to keep serving.
    if (!this.seekable && !this.running) this.close();
  }

  release(): void {
    this.released = true;
    this.abort.abort();
    // A read in flight still uses the descriptor; start() closes it once that read returns.
    if (!this.running) this.close();
  }

  /**
   * Reads ahead: the next chunk is read into a spare buffer while the current one is parsed,
   * so the disk and the parser overlap instead of taking turns.
   */
  private async readRecords(sink: FrameSink): Promise<SourceEnd> {
    const reader = new CaptureReader(this.name, sink, true);
    const win = new ByteWindow(CHUNK + MAX_CAPLEN);
    const spare = Buffer.allocUnsafe(CHUNK);
    let position = 0;
    let next = this.readChunk(spare.subarray(0, FIRST_CHUNK), position);
    try {
      while (!this.abort.signal.aborted) {
        const bytesRead = await next;
        if (bytesRead === 0) break;
        position += bytesRead;
        win.append(spare.subarray(0, bytesRead));
        next = this.readChunk(spare, position);
        while (reader.read(win) && !this.abort.signal.aborted) await reader.resume();
        sink.progress?.(position, this.size);
        if (reader.stopped) break;
        win.makeRoom(reader.need(win) - win.length);
      }
    } finally {
      // The read in flight must finish before the descriptor may close, also when the input was refused.
      await next.catch(() => 0);
    }
    return this.abort.signal.aborted ? reader.ended() : reader.finish(win);
  }

  private async readChunk(into: Buffer, position: number): Promise<number> {
    try {
      return (await readAsync(this.fd, into, 0, into.length, position)).bytesRead;
    } catch (err) {
      throw new InputError(`cannot read ${this.name}: ${describeIoError(err)}`);
    }
  }

  private readStream(sink: FrameSink): Promise<SourceEnd> {
    const stream = addAbortSignal(this.abort.signal, fs.createReadStream(this.name, { fd: this.fd, autoClose: false, highWaterMark: CHUNK }));
    return readCaptureStream({ name: this.name, chunks: stream, total: this.size, signal: this.abort.signal }, sink);
  }

  private readBytes(offset: number, length: number): Buffer {
    if (this.fd < 0) throw new Error(`${this.name} is closed`);
    const out = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(this.fd, out, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return got === length ? out : out.subarray(0, got);
  }

  private close(): void {
    if (this.fd < 0) return;
    closeWhenCollected.unregister(this);
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}
