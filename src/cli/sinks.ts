import { CaptureOutput } from '../sink/capture-output.js';
import { HepSender } from '../sink/hep-send.js';
import type { OutputSink } from '../sink/output.js';
import type { Options } from './options.js';

/** What the pipeline offers its sinks. */
export interface SinkEnv {
  warn(text: string): void;
  /** TLS key log lines sessions used since the last call (for pcapng -O), undefined when none. */
  newSecrets(): string | undefined;
  /** The source waits when a sink is backed up (a file); live sources cannot. */
  canWait: boolean;
}

/** Opens one output sink when the options ask for it; throws InputError when it cannot start. */
type SinkFactory = (opts: Options, env: SinkEnv) => OutputSink | undefined;

/** The output sinks the pipeline feeds, in this order. A new sink is one line here. */
const SINKS: readonly SinkFactory[] = [
  (o, env) => (o.output ? new CaptureOutput(o.output, { pcapng: o.pcapng, secrets: o.stripSecrets ? undefined : env.newSecrets, rotation: o.rotation }, env.warn) : undefined),
  (o, env) => (o.hepSend ? new HepSender({ target: o.hepSend, captureId: o.hepId, password: o.hepPassword, rate: env.canWait ? o.hepRate : 0 }, env.warn) : undefined),
];

export function openSinks(opts: Options, env: SinkEnv): OutputSink[] {
  const open: OutputSink[] = [];
  try {
    for (const make of SINKS) {
      const sink = make(opts, env);
      if (sink) open.push(sink);
    }
  } catch (err) {
    for (const s of open) s.close();
    throw err;
  }
  return open;
}
