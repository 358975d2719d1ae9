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
}

/** The thread's messages to the main thread: only "the ring has records and you sleep". */
export type DecodeWorkerMessage = { type: 'wake' };

const data = workerData as DecodeWorkerData;
const port = parentPort!;
const out = new DatagramRecordWriter(new RingWriter(data.ring, true), () => port.postMessage({ type: 'wake' } satisfies DecodeWorkerMessage));

async function run(): Promise<void> {
  // stdin as the process's descriptor 0: the main thread leaves it alone.
  const source = localInput(data.opts as Options, () => createReadStream('', { fd: 0, autoClose: false }))!;
  port.on('message', () => source.stop());
  // -k/--keylog were checked by the main thread; the sessions' use of them only matters to -O, which runs in-thread.
  const tls = openTlsSecrets(data.opts.keys, data.opts.keylog, () => {});
  const decoder = new Decoder(out, tls);
  const end = await source.start({
    frame: (f) => {
      out.frames++;
      out.frame = f.index;
      out.inFrame = true;
      decoder.push(f);
      out.inFrame = false;
    },
    opened: () => out.event({ type: 'opened' }),
    secrets: (type, bytes) => {
      if (type === TLS_KEY_LOG) tls.addAll(bytes.toString('latin1'));
    },
    progress: (read, total) => out.event({ type: 'progress', read, total }),
    skip: (reason) => out.skip(reason),
    warn: (text) => out.event({ type: 'warn', text }),
  });
  decoder.flush();
  out.event({ type: 'end', end });
}

run().then(
  () => port.close(),
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    out.event({ type: 'error', message: e.message, exitCode: err instanceof InputError ? err.exitCode : 70, input: err instanceof InputError, stack: e.stack });
    port.close();
  },
);
