import { CaptureOutput } from '../sink/capture-output.js';
import { HepSender } from '../sink/hep-send.js';
import type { OutputSink } from '../sink/output.js';
import type { Options } from './options.js';

/** What the pipeline offers its sinks. */
export interface SinkEnv {
  warn(text: string): void;
  /** Every TLS key log line sessions used so far, in order (for pcapng -O); the list only grows. */
  secrets(): readonly string[];
  /** The source waits when a sink is backed up (a file); live sources cannot (and -O rotates them by wall time). */
  canWait: boolean;
}

function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Opens one output sink when the options ask for it; throws InputError when it cannot start. */
type SinkFactory = (opts: Options, env: SinkEnv) => OutputSink | undefined;

/** The output sinks the pipeline feeds, in this order. A new sink is one line here. */
const SINKS: readonly SinkFactory[] = [
  (o, env) => (o.output
    ? new CaptureOutput(o.output, { pcapng: o.pcapng, secrets: o.stripSecrets ? undefined : env.secrets, rotation: o.rotation, clock: env.canWait ? undefined : wallClockNs }, env.warn)
    : undefined),
  (o, env) => (o.hepSend ? new HepSender({ target: o.hepSend, captureId: o.hepId, password: o.hepPassword, rate: env.canWait ? o.hepRate : 0, canWait: env.canWait }, env.warn) : undefined),
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
