import { CaptureOutput } from '../sink/capture-output.js';
import { HepSender } from '../sink/hep-send.js';
import type { OutputSink } from '../sink/output.js';
import type { Options } from './options.js';

/** Opens one output sink when the options ask for it; throws InputError when it cannot start. */
type SinkFactory = (opts: Options, warn: (text: string) => void) => OutputSink | undefined;

/** The output sinks the pipeline feeds, in this order. A new sink is one line here. */
const SINKS: readonly SinkFactory[] = [
  (o, warn) => (o.output ? new CaptureOutput(o.output, o.pcapng, warn) : undefined),
  (o, warn) => (o.hepSend ? new HepSender({ target: o.hepSend, captureId: o.hepId, password: o.hepPassword }, warn) : undefined),
];

export function openSinks(opts: Options, warn: (text: string) => void): OutputSink[] {
  const open: OutputSink[] = [];
  try {
    for (const make of SINKS) {
      const sink = make(opts, warn);
      if (sink) open.push(sink);
    }
  } catch (err) {
    for (const s of open) s.close();
    throw err;
  }
  return open;
}
