/**
 * The mutation fuzzer: real captures (../shared/pcaps and ../shared/repros) are damaged frame
 * by frame (bit flips weighted to headers, length fields, truncation, SIP-level edits,
 * re-fragmentation, re-segmentation) and file by file (pcap record and pcapng block damage),
 * plus the pathological generators, and every run goes through the real headless path
 * (source → decode → store → JSON). A failure is an exception (crash), a run over the time
 * bound (hang), or JSON carrying a raw control character; each is written out as a minimal
 * capture when a directory for repros is given. Deterministic for a seed.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runHeadless } from '../../src/cli/headless.js';
import { parseOptions, withSettings } from '../../src/cli/options.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { defaultSettings } from '../../src/config/settings.js';
import { InputError } from '../../src/model/errors.js';
import type { FrameSink, FrameSource, SourceEnd } from '../../src/model/frame.js';
import { openFile } from '../../src/source/file-source.js';
import { PcapngWriter } from '../../src/sink/pcapng-writer.js';
import { damagePcapngBlocks, damagePcapRecords, mutateFrame, refragment, resegment, type FuzzFrame } from './mutate.js';
import { PATHOLOGICAL } from './pathological.js';
import { Rng } from './rng.js';

export interface CampaignOptions {
  /** Mutated packets to feed (the campaign stops at the first run past it); intact frames between them come on top. */
  packets: number;
  seed: number;
  /** Captures to start from. */
  corpus: string[];
  /** Where to write a minimal capture per failure (none: only counted). */
  reproDir?: string;
  /** A run taking longer than this is a hang. */
  runTimeoutMs?: number;
  /** Frames taken from a capture per run (big captures are sampled). */
  framesPerRun?: number;
  /** Multiplies the pathological cases' sizes. */
  scale?: number;
  log?: (line: string) => void;
}

export interface Failure {
  kind: 'crash' | 'hang' | 'raw-control';
  what: string;
  detail: string;
  repro?: string;
}

export interface CampaignResult {
  /** Packets fed in all (damaged and intact ones between them). */
  packets: number;
  /** Frames a frame mutator, re-fragmentation or re-segmentation produced, plus pathological and damaged-file frames. */
  mutated: number;
  runs: number;
  failures: Failure[];
  peakRssMb: number;
  seconds: number;
  /** Skip reasons seen across the campaign (a fixed set: this stays small). */
  skipReasons: Set<string>;
}

/** JSON Lines must never carry a raw C0 (but newline), DEL or C1. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const MAX_CORPUS_FILE = 4 * 1024 * 1024;

/** The capture files under dirs (recursively), small enough to fuzz. */
export function findCorpus(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(name) && st.size <= MAX_CORPUS_FILE) out.push(p);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** A FrameSource over frames in memory (fileOffset -1, like a pipe). */
function memorySource(frames: FuzzFrame[]): FrameSource {
  let stopped = false;
  return {
    name: 'fuzz',
    live: false,
    stop: () => (stopped = true),
    async start(sink: FrameSink): Promise<SourceEnd> {
      let i = 0;
      for (const f of frames) {
        if (stopped) break;
        sink.frame({ index: ++i, ts: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n, linktype: f.linktype, data: f.data, origLen: f.data.length, fileOffset: -1 });
        if (i % 2048 === 0) await new Promise((r) => setImmediate(r));
      }
      return { frames: i };
    },
  };
}

const OPTIONS = withSettings(parseOptions(['-N', '--json', '-r']), defaultSettings());

/** Runs one input through the headless JSON path; resolves with the JSON text. */
async function headless(source: FrameSource): Promise<{ json: string; frames: number }> {
  let json = '';
  const out = new Writable({ write: (chunk: Buffer, _e, cb) => { json += chunk.toString('utf8'); cb(); } });
  const err = new Writable({ write: (_c, _e, cb) => cb() });
  const pipeline = new Pipeline(source, OPTIONS);
  await runHeadless(pipeline, OPTIONS, undefined, out, err);
  return { json, frames: pipeline.status().frames };
}

async function loadFrames(path: string): Promise<FuzzFrame[]> {
  const frames: FuzzFrame[] = [];
  try {
    await openFile(path).start({ frame: (f) => frames.push({ linktype: f.linktype, data: Buffer.from(f.data) }) });
  } catch {
    // A corpus file sipscope refuses still gives its frames up to there.
  }
  return frames;
}

/** Writes frames as a pcapng (any mix of link types). */
function writeFrames(path: string, frames: FuzzFrame[]): void {
  const w = PcapngWriter.open(path, frames[0]?.linktype ?? 1);
  for (const [i, f] of frames.entries()) w.write({ ts: BigInt(i) * 1000n, data: f.data, origLen: f.data.length, linktype: f.linktype });
  w.close();
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const r = new Rng(o.seed);
  const started = performance.now();
  const log = o.log ?? (() => {});
  const timeout = o.runTimeoutMs ?? 20_000;
  const perRun = o.framesPerRun ?? 2000;
  const result: CampaignResult = { packets: 0, mutated: 0, runs: 0, failures: [], peakRssMb: 0, seconds: 0, skipReasons: new Set() };
  const cache = new Map<string, FuzzFrame[]>();
  const tmp = join(tmpdir(), `sipscope-fuzz-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  if (o.reproDir) mkdirSync(o.reproDir, { recursive: true });

  const check = async (what: string, source: () => FrameSource, frames: () => FuzzFrame[] | Buffer): Promise<void> => {
    result.runs++;
    const t0 = performance.now();
    let failure: Failure | undefined;
    try {
      const { json, frames: n } = await headless(source());
      result.packets += n;
      const summary = JSON.parse(json.trimEnd().split('\n').at(-1) ?? '{}') as { skipped?: Record<string, number> };
      for (const k of Object.keys(summary.skipped ?? {})) result.skipReasons.add(k);
      const raw = RAW_CONTROL.exec(json);
      if (raw) failure = { kind: 'raw-control', what, detail: `U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} in JSON` };
    } catch (e) {
      // Bad input named in one line (sipscope: …, non-zero exit) is the right answer, not a crash.
      if (e instanceof InputError) return;
      failure = { kind: 'crash', what, detail: e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' | ') : String(e) };
    }
    const ms = performance.now() - t0;
    if (!failure && ms > timeout) failure = { kind: 'hang', what, detail: `${Math.round(ms)} ms` };
    result.peakRssMb = Math.max(result.peakRssMb, process.memoryUsage.rss() / 2 ** 20);
    if (!failure) return;
    if (o.reproDir) {
      const input = frames();
      failure.repro = join(o.reproDir, `${failure.kind}-${o.seed}-${result.runs}.${Buffer.isBuffer(input) ? 'capture' : 'pcapng'}`);
      if (Buffer.isBuffer(input)) writeFileSync(failure.repro, input);
      else writeFrames(failure.repro, await minimise(input, what));
    }
    result.failures.push(failure);
    log(`fuzz: ${failure.kind} in ${what}: ${failure.detail}${failure.repro ? ` (repro: ${failure.repro})` : ''}`);
  };

  /** The single frame that fails alone, when there is one; else the frames of the run. */
  const minimise = async (frames: FuzzFrame[], what: string): Promise<FuzzFrame[]> => {
    for (const f of frames.slice(0, 5000)) {
      try {
        const { json } = await headless(memorySource([f]));
        if (RAW_CONTROL.test(json)) return [f];
      } catch (e) {
        if (!(e instanceof InputError)) return [f];
      }
    }
    log(`fuzz: ${what}: no single frame fails alone; the repro holds the whole run`);
    return frames;
  };

  let lastLog = 0;
  while (result.mutated < o.packets) {
    const kind = r.below(100);
    if (kind < 4) {
      const p = r.pick(PATHOLOGICAL);
      const frames = p.make(r, o.scale ?? 1);
      result.mutated += frames.length;
      await check(`pathological ${p.name}`, () => memorySource(frames), () => frames);
    } else if (kind < 16) {
      const path = r.pick(o.corpus);
      const bytes = await import('node:fs').then((fs) => fs.readFileSync(path));
      if (bytes[0] === 0x1f) continue;
      const damaged = bytes.readUInt32LE(0) === 0x0a0d0d0a ? damagePcapngBlocks(r, bytes) : damagePcapRecords(r, bytes);
      const file = join(tmp, `damaged-${result.runs}.cap`);
      writeFileSync(file, damaged);
      const before = result.packets;
      await check(`file damage of ${path}`, () => openFile(file), () => damaged);
      result.mutated += result.packets - before;
    } else {
      const path = r.pick(o.corpus);
      let frames = cache.get(path);
      if (!frames) {
        frames = await loadFrames(path);
        if (cache.size > 64) cache.delete(cache.keys().next().value!);
        cache.set(path, frames);
      }
      if (frames.length === 0) continue;
      const start = frames.length > perRun ? r.below(frames.length - perRun) : 0;
      const rate = [0.02, 0.1, 0.3, 1][r.below(4)]!;
      const run: FuzzFrame[] = [];
      let intact = 0;
      for (const f of frames.slice(start, start + perRun)) {
        const how = r.chance(rate) ? r.below(10) : -1;
        if (how < 0) {
          run.push(f);
          intact++;
        } else if (how === 0) run.push(...refragment(r, f));
        else if (how === 1) run.push(...resegment(r, f));
        else run.push(mutateFrame(r, f));
      }
      result.mutated += run.length - intact;
      await check(`frames of ${path}`, () => memorySource(run), () => run);
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`fuzz: ${result.mutated} mutated of ${result.packets} packets, ${result.runs} runs, ${result.failures.length} failures, peak RSS ${Math.round(result.peakRssMb)} MB`);
    }
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
