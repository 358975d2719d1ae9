import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, generateCapture, type CaptureMeta, type GenerateOptions } from './gen/generate.js';

/** The load benchmark's capture: 100k dialogs, about 680k messages. test/bench/out/ is gitignored. */
export const BENCH_DIALOGS = 100_000;
export const BENCH_CAPTURE = fileURLToPath(new URL('../../../test/bench/out/bench.pcap', import.meta.url));

/** What the generator wrote into a capture lives beside it, so later runs can check sipscope's counts. */
function metaPath(pcap: string): string {
  return `${pcap}.json`;
}

function readMeta(pcap: string): CaptureMeta | null {
  if (!existsSync(pcap) || !existsSync(metaPath(pcap))) return null;
  try {
    return JSON.parse(readFileSync(metaPath(pcap), 'utf8')) as CaptureMeta;
  } catch {
    return null;
  }
}

/** Generates `pcap` and its sidecar, whatever is there. */
export function writeCapture(pcap: string, options: GenerateOptions, log: (line: string) => void): CaptureMeta {
  mkdirSync(dirname(pcap), { recursive: true });
  const started = performance.now();
  const meta = generateCapture(pcap, options);
  writeFileSync(metaPath(pcap), `${JSON.stringify(meta, null, 2)}\n`);
  const seconds = (performance.now() - started) / 1000;
  log(`generated ${pcap}: ${meta.dialogs} dialogs, ${meta.messages} messages, ${meta.bytes} bytes in ${seconds.toFixed(1)} s`);
  return meta;
}

/** The existing capture when it is complete and from this generator version with these options, else a fresh one. */
export function ensureCapture(pcap: string, options: GenerateOptions, log: (line: string) => void): CaptureMeta {
  const meta = readMeta(pcap);
  const current = meta !== null && meta.version >= GENERATOR_VERSION && meta.dialogs === options.dialogs &&
    (options.seed === undefined || meta.seed === options.seed) && statSync(pcap).size === meta.bytes;
  return current ? meta : writeCapture(pcap, options, log);
}
