/**
 * Reading and decoding on a second thread (decode-worker.ts): the main thread gets the decoder's
 * output from a bounded ring (source/ring.ts) and hands it on in the order the decoder made it,
 * so what the store sees is what an in-thread decoder would have given it. The ring is the only
 * queue: when the main thread falls behind, the decoding thread waits for room.
 */
import { Worker } from 'node:worker_threads';
import { DatagramRecordReader, type DecodedSink } from './decoded-records.js';
import { InputError } from '../model/errors.js';
import type { SourceEnd } from '../model/frame.js';
import { newRing, RingReader } from '../source/ring.js';
import type { DecodeWorkerData, DecodeWorkerMessage } from './decode-worker.js';
import type { Options } from './options.js';

/** Ring size: a few thousand SIP messages, so neither thread waits on the other's short pauses (a GC, a screen frame). */
const RING_BYTES = 4 << 20;
/** How long one turn may take before the event loop gets keys and timers (as a file's ingest slice, pcap-file.ts). */
const SLICE_MS = 4;
/** Records handled between looks at the clock. */
const BATCH = 256;
/** An empty ring is looked at again this often, this many times, before the reader sleeps until woken. */
const POLL_MS = 1;
const IDLE_POLLS = 8;

/**
 * Whether the input is decoded on the second thread: one -I file or stdin, unless something needs
 * each frame in the main thread (-O, -H, -r), or a BPF filter (node_pcap's binding loads in one
 * thread only, and the main thread checks the filter with it). Off unless SIPSCOPE_DECODE_THREAD=1: records
 * through the ring cost the main thread more per RTP packet than decoding them in place (big RTP captures
 * ran 2.3× slower), and the worker's start delays the TUI's first rows past 0.5 s.
 */
export function decodesOffThread(opts: Options): boolean {
  return process.env.SIPSCOPE_DECODE_THREAD === '1' && opts.inputs.length === 1 && opts.hepListen.length === 0 &&
    opts.output === '' && opts.hepSend === '' && !opts.rtp && opts.bpf === '';
}

/** Reads opts' input on the decoding thread to its end (or until stop()), handing what it decodes to `sink`. */
export class DecodeThread {
  private worker: Worker | undefined;
  private stopped = false;

  constructor(private readonly opts: Options) {}

  run(sink: DecodedSink): Promise<SourceEnd> {
    const ring = newRing(RING_BYTES);
    const reader = new RingReader(ring);
    const data: DecodeWorkerData = { ring, opts: { inputs: this.opts.inputs, bpf: this.opts.bpf, keys: this.opts.keys, keylog: this.opts.keylog } };
    const worker = new Worker(new URL('./decode-worker.js', import.meta.url), { workerData: data, stdin: false });
    this.worker = worker;
    if (this.stopped) worker.postMessage('stop');
    return new Promise<SourceEnd>((resolve, reject) => {
      let settled = false;
      let scheduled = false;
      let idle = 0;
      let exited = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        fn();
      };
      const records = new DatagramRecordReader({
        frames: (n) => sink.frames(n),
        datagram: (d, inFrame, scan, names, places, hash, sdp) => sink.datagram(d, inFrame, scan, names, places, hash, sdp),
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
        if (exited && n === 0) {
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
      worker.on('message', (m: DecodeWorkerMessage) => {
        if (m.type === 'wake' && !scheduled) turn();
      });
      worker.once('error', (err) => finish(() => reject(err)));
      // The end is in the ring before the thread exits: what is left there is handled first.
      worker.once('exit', () => {
        exited = true;
        if (!scheduled) turn();
      });
      turn();
    });
  }

  /** Ends reading early: the thread stops its source after the current chunk and reports the end. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker?.postMessage('stop');
  }
}
