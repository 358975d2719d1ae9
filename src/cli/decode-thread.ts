/**
 * Reading and decoding on a second thread (decode-worker.ts): the main thread gets the decoder's
 * output from a bounded ring (source/ring.ts) and hands it on in the order the decoder made it,
 * so what the store sees is what an in-thread decoder would have given it. The ring is the only
 * queue: when the main thread falls behind, the decoding thread waits for room.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DatagramRecordReader, type DecodedSink } from './decoded-records.js';
import { InputError } from '../model/errors.js';
import type { SourceEnd } from '../model/frame.js';
import { newRing, RingReader } from '../source/ring.js';
import type { DecodeWorkerCommand, DecodeWorkerData, DecodeWorkerMessage } from './decode-worker.js';
import type { Options } from './options.js';

/** Ring size: a few thousand SIP messages, so neither thread waits on the other's short pauses (a GC, a screen frame). */
const RING_BYTES = 4 << 20;
/**
 * The thread's young generation (V8's default lets it grow to 48 MB, two 16 MB semi-spaces that stay
 * resident): what the thread allocates per frame dies before the next scavenge, so 4 MB semi-spaces
 * keep its heap at ~28 MB instead of ~52 MB (big100k) for no measurable CPU.
 */
const THREAD_YOUNG_MB = 12;
/** How long one turn may take before the event loop gets keys and timers (as a file's ingest slice, pcap-file.ts). */
const SLICE_MS = 4;
/** Records handled between looks at the clock. */
const BATCH = 256;
/** An empty ring is looked at again this often, this many times, before the reader sleeps until woken. */
const POLL_MS = 1;
const IDLE_POLLS = 8;

/** Smaller files are read in one thread: they load in well under a second, about as long as the thread takes to start. */
const MIN_FILE_BYTES = 16 << 20;

/**
 * Whether the input is decoded on the second thread: one -I file (`anySize`: however small) or
 * stdin, unless something needs each frame in the main thread (-O, -H, -r), or a BPF filter
 * (node_pcap's binding loads in one thread only, and the main thread checks the filter with it).
 * SIPSCOPE_DECODE_THREAD=0 keeps everything on one thread; =1 uses the thread for files of any size.
 */
export function decodesOffThread(opts: Options, anySize = false): boolean {
  if (process.env.SIPSCOPE_DECODE_THREAD === '0' || opts.inputs.length !== 1 || opts.hepListen.length !== 0 ||
    opts.output !== '' || opts.hepSend !== '' || opts.rtp || opts.bpf !== '') return false;
  const input = opts.inputs[0]!;
  if (input === '-') return true;
  const size = fileSize(input);
  // A file that cannot be looked at is refused by the source, in this thread, as always.
  return size === -2 ? false : size === -1 || anySize || process.env.SIPSCOPE_DECODE_THREAD === '1' || size >= MIN_FILE_BYTES;
}

/** A regular file's size; -1 for something else (a pipe, a device), -2 when it cannot be looked at. */
function fileSize(path: string): number {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st === undefined ? -2 : st.isFile() ? st.size : -1;
  } catch {
    return -2;
  }
}

/**
 * Reads opts' input on the decoding thread to its end (or until stop()), handing what it decodes
 * to the sink run() is given. The thread is started before run() (start()): for stdin when the
 * pipeline is built, so it loads while the main thread still sets up the screen; for a file once
 * the main thread's lead-in (leadsIn) has shown SIP. run() says how many frames the lead-in
 * decoded, and the thread's output starts after them.
 */
export class DecodeThread {
  private worker: Worker | undefined;
  private reader: RingReader | undefined;
  private stopped = false;
  private running = false;
  /** What the thread did before run() listened: failed, or exited. */
  private failure: Error | undefined;
  private exited = false;
  /** run()'s handlers, once it listens. */
  private onWake: () => void = () => {};
  private onError: (err: Error) => void = (err) => (this.failure ??= err);
  private onExit: () => void = () => {};
  /** The thread has loaded and waits to be told where to start (leadsIn). */
  ready = false;
  /**
   * Whether the main thread decodes the first frames itself while the thread loads (a regular
   * file: it can be read twice; stdin and pipes cannot): the first rows need not wait for the thread.
   */
  readonly leadsIn: boolean;
  /** SIPSCOPE_DECODE_THREAD=1: the thread takes over whatever the lead-in found (else media-heavy files stay on one thread). */
  readonly forced = process.env.SIPSCOPE_DECODE_THREAD === '1';

  constructor(private readonly opts: Options) {
    this.leadsIn = opts.inputs[0] !== '-' && fileSize(opts.inputs[0]!) >= 0;
  }

  /** Starts the thread (once): it reads into the ring until the ring is full, until run() drains it. */
  start(): void {
    if (this.worker !== undefined) return;
    const ring = newRing(RING_BYTES);
    this.reader = new RingReader(ring);
    const data: DecodeWorkerData = {
      ring, opts: { inputs: this.opts.inputs, bpf: this.opts.bpf, keys: this.opts.keys, keylog: this.opts.keylog }, leadIn: this.leadsIn,
    };
    const worker = new Worker(new URL('./decode-worker.js', import.meta.url), {
      workerData: data, stdin: false, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_MB },
    });
    this.worker = worker;
    // Until run(), a started thread must not keep the process alive (a pipeline closed before it ran).
    worker.unref();
    worker.on('message', (m: DecodeWorkerMessage) => {
      if (m.type === 'wake') this.onWake();
      else this.ready = true;
    });
    worker.once('error', (err) => this.onError(err));
    worker.once('exit', () => {
      this.exited = true;
      this.onExit();
    });
  }

  /** Drains the thread's output to the input's end; `from`: the frames the main thread decoded itself (leadsIn). */
  run(sink: DecodedSink, from: number): Promise<SourceEnd> {
    this.start();
    this.running = true;
    const worker = this.worker!;
    const reader = this.reader!;
    worker.ref();
    if (this.leadsIn) worker.postMessage({ type: 'from', frames: from } satisfies DecodeWorkerCommand);
    return new Promise<SourceEnd>((resolve, reject) => {
      let settled = false;
      let scheduled = false;
      let idle = 0;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        fn();
      };
      const records = new DatagramRecordReader({
        frames: (n) => sink.frames(n),
        datagram: (d, inFrame, scan, names, places, hash, keys) => sink.datagram(d, inFrame, scan, names, places, hash, keys),
        udp: (u, inFrame) => sink.udp(u, inFrame),
        skip: (reason, detail) => sink.skip(reason, detail),
        event: (e) => {
          if (e.type === 'end') finish(() => resolve(e.end));
          else if (e.type === 'error') {
            finish(() => reject(e.input ? new InputError(e.message, e.exitCode) : Object.assign(new Error(e.message), { stack: e.stack })));
          } else sink.event(e);
        },
      });
      const turn = (): void => {
        scheduled = false;
        const until = performance.now() + SLICE_MS;
        let n: number;
        try {
          do n = reader.drain(BATCH, records.each);
          while (n === BATCH && !settled && performance.now() < until);
        } catch (err) {
          // A bug on this side: the decoding thread must not wait for room that never comes.
          void worker.terminate();
          finish(() => reject(err));
          return;
        }
        if (settled) return;
        if (this.exited && n === 0) {
          finish(() => reject(new Error('the decoding thread ended without finishing the input')));
          return;
        }
        scheduled = true;
        idle = n > 0 ? 0 : idle + 1;
        if (n === BATCH) setImmediate(turn);
        else if (idle < IDLE_POLLS) setTimeout(turn, POLL_MS);
        else if (!reader.sleep()) setImmediate(turn);
        else scheduled = false;
      };
      this.onWake = () => {
        if (!scheduled) turn();
      };
      this.onError = (err) => finish(() => reject(err));
      // The end is in the ring before the thread exits: what is left there is handled first.
      this.onExit = () => {
        if (!scheduled) turn();
      };
      if (this.failure !== undefined) this.onError(this.failure);
      else turn();
    });
  }

  /** Ends reading early: the thread stops its source after the current chunk and reports the end. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    // A thread nobody drains may be waiting for room: it cannot see the message, and nothing it read is wanted.
    if (!this.running) void this.worker?.terminate();
    else this.worker?.postMessage({ type: 'stop' } satisfies DecodeWorkerCommand);
  }
}
