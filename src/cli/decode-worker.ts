// The thread that reads and decodes a capture file or stdin (decode-thread.ts starts it): the
// source, the link/IP/UDP/TCP decoders with their reassembly, and the decoder's output written
// to the ring the main thread stores from. It never touches the store, so it reads on while the
// main thread stores, diagnoses and draws.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { Decoder } from '../decode/decoder.js';
import { DatagramRecordWriter } from './decoded-records.js';
import { InputError } from '../model/errors.js';
import { RingWriter, type RingBuffers } from '../source/ring.js';
import { localInput } from './open-input.js';
import type { Options } from './options.js';
import { openTlsSecrets, TLS_KEY_LOG } from './tls-secrets.js';

/** What the main thread hands the decoding thread. */
export interface DecodeWorkerData {
  ring: RingBuffers;
  opts: Pick<Options, 'inputs' | 'bpf' | 'keys' | 'keylog'>;
  /** The main thread decodes the first frames itself: the thread says when it is ready, and is told how many (DecodeWorkerCommand). */
  leadIn: boolean;
}

/** The thread's messages to the main thread: "the ring has records and you sleep", "loaded, tell me where to start". */
export type DecodeWorkerMessage = { type: 'wake' } | { type: 'ready' };

/** The main thread's: the frames it decoded itself (the thread's output starts after them), or stop. */
export type DecodeWorkerCommand = { type: 'from'; frames: number } | { type: 'stop' };

const data = workerData as DecodeWorkerData;
const port = parentPort!;
const out = new DatagramRecordWriter(new RingWriter(data.ring, true), () => port.postMessage({ type: 'wake' } satisfies DecodeWorkerMessage));

/** The first `from` frames were decoded by the main thread, so is what came before them. */
async function run(from: number): Promise<void> {
  // stdin as the process's descriptor 0: the main thread leaves it alone.
  const source = localInput(data.opts as Options, () => createReadStream('', { fd: 0, autoClose: false }))!;
  port.on('message', (m: DecodeWorkerCommand) => {
    if (m.type === 'stop') source.stop();
  });
  // -k/--keylog were checked by the main thread; the sessions' use of them only matters to -O, which runs in-thread.
  const tls = openTlsSecrets(data.opts.keys, data.opts.keylog, () => {});
  const decoder = new Decoder(out, tls);
  // Those frames are decoded again, unheard, so that reassembly holds what it held in the main thread then.
  out.quiet = from > 0;
  // The main thread reads message bytes through a descriptor of its own: this one goes once the reading ends.
  const end = await source.start({
    frame: (f) => {
      out.frames++;
      out.frame = f.index;
      out.inFrame = true;
      out.quiet = out.frames <= from;
      decoder.push(f);
      out.inFrame = false;
      out.quiet = out.frames < from;
    },
    opened: () => out.event({ type: 'opened' }),
    secrets: (type, bytes) => {
      if (type === TLS_KEY_LOG) tls.addAll(bytes.toString('latin1'));
    },
    progress: (read, total) => out.event({ type: 'progress', read, total }),
    skip: (reason) => out.skip(reason),
    warn: (text) => {
      if (!out.quiet) out.event({ type: 'warn', text });
    },
  }).finally(() => source.release?.());
  decoder.flush();
  out.event({ type: 'end', end });
}

/** Where to start: at once (stdin), or once the main thread says how far it got. */
function from(): Promise<number> {
  if (!data.leadIn) return Promise.resolve(0);
  return new Promise((resolve) => {
    const told = (m: DecodeWorkerCommand): void => {
      port.off('message', told);
      // Stopped before it started: nothing of it is wanted (the main thread ended the run).
      if (m.type === 'stop') process.exit(0);
      resolve(m.frames);
    };
    port.on('message', told);
    port.postMessage({ type: 'ready' } satisfies DecodeWorkerMessage);
  });
}

from().then(run).then(
  () => port.close(),
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    out.event({ type: 'error', message: e.message, exitCode: err instanceof InputError ? err.exitCode : 70, input: err instanceof InputError, stack: e.stack });
    port.close();
  },
);
