import { Readable, addAbortSignal } from 'node:stream';
import type { FrameSink, FrameSource, SourceEnd } from '../model/frame.js';
import { readCaptureStream } from './byte-reader-stream.js';

/**
 * A live FrameSource over pcap or pcapng bytes (gzip-compressed or not) arriving on a
 * stream, stdin by default, so `tcpdump -U -w - | sipscope -I -` shows packets as they come.
 * start() resolves when the stream ends; stop() ends it early and destroys the stream.
 * Frames have fileOffset -1 and there is no readAt.
 */
export function openStdin(input: NodeJS.ReadableStream | (() => NodeJS.ReadableStream) = () => process.stdin): FrameSource {
  const abort = new AbortController();
  return {
    name: 'stdin',
    live: true,
    start(sink: FrameSink): Promise<SourceEnd> {
      // Opened here, not before: a stream object for descriptor 0 changes how the descriptor reads.
      const stream = typeof input === 'function' ? input() : input;
      const readable = stream instanceof Readable ? stream : new Readable().wrap(stream);
      addAbortSignal(abort.signal, readable);
      return readCaptureStream({ name: 'stdin', chunks: readable, total: 0, signal: abort.signal }, sink);
    },
    stop(): void {
      abort.abort();
    },
  };
}
