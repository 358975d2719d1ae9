// Issue 17's screen budgets, measured on the real binary in a pseudo-terminal (node-pty + @xterm/headless, as
// the screen tests): time to the first rows while a big file loads, key → frame during that load, and key → frame
// with a million real dialogs loaded from a generated capture through the real pipeline and store.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PtyScreen } from '../../e2e/pty-screen.js';
import { BENCH_CAPTURE, BENCH_DIALOGS, ensureCapture } from '../bench-capture.js';
import { formatTable, loadAverage, median, millis, mib, quantile, ratio, seconds, type Bench, type BenchContext, type TargetResult } from '../bench.js';
import { onPath } from './load.js';

const COLS = 160;
const ROWS = 40;
const FIRST_ROWS_TARGET_MS = 500;
const KEY_TARGET_MS = 20;
/** First-screen runs per tool; each also samples keys while its load goes on. */
const SCREEN_RUNS = 3;
const LOAD_KEY_SAMPLES = 30;
/** Between keys during a load, so the samples spread over it. */
const LOAD_KEY_PACE_MS = 100;
/**
 * Keys start this long after the first row, for both tools: sngrep 1.6.0 stops loading for good (0 % CPU, the UI in
 * poll) when a key arrives in the first moments of a file load.
 */
const LOAD_KEY_DELAY_MS = 500;
/** A key whose frame has not come after this long counts as this long (a miss, never a skipped sample). */
const KEY_TIMEOUT_MS = 5000;
/** A frame is complete once the terminal has had no output for this long. */
const QUIET_MS = 40;
const HUGE_DIALOGS = 1_000_000;
const HUGE_CAPTURE = fileURLToPath(new URL('../../../../test/bench/out/bench1m.pcap', import.meta.url));
const HUGE_LOAD_TIMEOUT_MS = 40 * 60_000;
const HUGE_SAMPLES = 20;

/** The first dialog row, as sipscope and sngrep both draw it: "[ ] 1  INVITE". */
const FIRST_ROW = /\[ \] 1 +[A-Z]+ /;

interface Tool {
  name: 'sipscope' | 'sngrep';
  program?: readonly string[];
  args(file: string): string[];
  /** True while the header says the file is still being read. */
  loading(screen: string): boolean;
}

const SIPSCOPE: Tool = {
  name: 'sipscope',
  args: (file) => ['-I', file],
  loading: (screen) => screen.slice(0, screen.indexOf('\n')).includes(' Loading '),
};

function sngrepTool(path: string): Tool {
  return {
    name: 'sngrep',
    program: [path],
    // The same dialog limit as the headless comparison: sngrep's default stops storing at 20,000.
    args: (file) => ['-l', '2000000', '-I', file],
    loading: (screen) => screen.includes('(Loading)'),
  };
}

/** Resolves with the arrival time of the first output chunk after `since` that leaves `changed()` true; null on timeout. */
function nextChange(s: PtyScreen, since: number, changed: () => boolean, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const done = (at: number | null): void => {
      clearTimeout(timer);
      off();
      resolve(at);
    };
    const off = s.onParsed((arrivedAt) => {
      if (arrivedAt >= since && changed()) done(arrivedAt);
    });
    const timer = setTimeout(() => done(null), timeoutMs);
  });
}

/** The arrival of the last chunk before the output pauses for QUIET_MS: the end of the frame being drawn. */
function frameEnd(s: PtyScreen, from: number): Promise<number> {
  return new Promise((resolve) => {
    let last = from;
    const finish = (): void => {
      off();
      resolve(last);
    };
    let timer = setTimeout(finish, QUIET_MS);
    const off = s.onParsed((arrivedAt) => {
      last = Math.max(last, arrivedAt);
      clearTimeout(timer);
      timer = setTimeout(finish, QUIET_MS);
    });
  });
}

const cursorOf = (s: PtyScreen): string => s.highlightedRows().join(',');

/**
 * Milliseconds from writing `key` until its frame is on the screen: until the cursor moved (`what: 'cursor'`, for
 * samples during a load, whose progress redraws would count as changes), or until the screen changed and its
 * output paused (`'screen'`).
 */
async function timeKey(s: PtyScreen, key: string, what: 'cursor' | 'screen'): Promise<number> {
  const before = what === 'cursor' ? cursorOf(s) : `${s.text()}|${cursorOf(s)}`;
  const changed = what === 'cursor' ? () => cursorOf(s) !== before : () => `${s.text()}|${cursorOf(s)}` !== before;
  const t0 = performance.now();
  const change = nextChange(s, t0, changed, KEY_TIMEOUT_MS);
  s.write(key);
  const at = await change;
  if (at === null) return KEY_TIMEOUT_MS;
  return (what === 'screen' ? await frameEnd(s, at) : at) - t0;
}

/** Waits until `shown(screen)` holds, checking as output arrives and at least every 250 ms. */
async function until(s: PtyScreen, shown: (screen: string) => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!shown(s.text())) {
    if (s.exitCode !== undefined) throw new Error(`exited (${s.exitCode}) before ${what}; the screen shows:\n${s.text()}`);
    if (performance.now() > deadline) throw new Error(`no ${what} after ${seconds(timeoutMs)}; the screen shows:\n${s.text()}`);
    await nextChange(s, 0, () => true, 250);
  }
}

/** VmHWM and VmRSS of a running process, in KiB. */
function memoryOf(pid: number): { hwmKiB: number; rssKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const field = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { hwmKiB: field('VmHWM'), rssKiB: field('VmRSS') };
}

interface ScreenRun {
  firstRowsMs: number;
  /** Key → cursor moved, while the header still said the file was loading. */
  keysMs: number[];
  load: string;
}

/** One start of `tool` on `file`: time to the first row, then Down/Up during the load until it ends or enough samples. */
async function screenRun(tool: Tool, file: string): Promise<ScreenRun> {
  const t0 = performance.now();
  const s = new PtyScreen(tool.args(file), COLS, ROWS, {}, undefined, tool.program);
  try {
    const first = await nextChange(s, t0, () => FIRST_ROW.test(s.text()), 60_000);
    if (first === null) throw new Error(`${tool.name} showed no dialog row in 60 s; the screen shows:\n${s.text()}`);
    const keysMs: number[] = [];
    await new Promise((r) => setTimeout(r, LOAD_KEY_DELAY_MS));
    for (let i = 0; i < LOAD_KEY_SAMPLES && tool.loading(s.text()); i++) {
      keysMs.push(await timeKey(s, s.cursorKey(i % 2 ? 'up' : 'down'), 'cursor'));
      await new Promise((r) => setTimeout(r, LOAD_KEY_PACE_MS));
    }
    return { firstRowsMs: first - t0, keysMs, load: loadAverage() };
  } finally {
    await stop(s);
  }
}

/** Ends the program under test; one that ignores the terminal's hang-up (a stuck sngrep does) is killed. */
async function stop(s: PtyScreen): Promise<void> {
  const pid = s.pid;
  s.kill();
  const deadline = performance.now() + 2000;
  while (s.exitCode === undefined && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (s.exitCode === undefined) process.kill(pid, 'SIGKILL');
}

async function firstScreen(ctx: BenchContext): Promise<boolean> {
  const meta = ensureCapture(BENCH_CAPTURE, { dialogs: BENCH_DIALOGS }, ctx.log);
  const file = relative(ctx.root, BENCH_CAPTURE);
  const sngrep = onPath('sngrep');
  const tools = sngrep ? [SIPSCOPE, sngrepTool(sngrep)] : [SIPSCOPE];
  ctx.log(`capture: ${file}, ${meta.dialogs} dialogs; ${COLS}×${ROWS} pty; ${SCREEN_RUNS} starts per tool, alternating` +
    `; up to ${LOAD_KEY_SAMPLES} Down/Up keys during each load`);
  if (!sngrep) ctx.log('sngrep: not installed; absolute figures only');

  const runs = new Map<string, ScreenRun[]>(tools.map((t) => [t.name, []]));
  const rows = [['run', 'tool', 'first row', 'keys during load', 'key median', 'key p95', 'load average']];
  for (let i = 0; i < SCREEN_RUNS; i++) {
    for (const tool of tools) {
      const r = await screenRun(tool, file);
      runs.get(tool.name)!.push(r);
      rows.push([String(i + 1), tool.name, millis(r.firstRowsMs), String(r.keysMs.length),
        r.keysMs.length ? millis(median(r.keysMs)) : '-', r.keysMs.length ? millis(quantile(r.keysMs, 0.95)) : '-', r.load]);
    }
  }
  for (const line of formatTable(rows)) ctx.log(`  ${line}`);

  const figures = (name: string): { first: number; p95: number | undefined; keys: number } => {
    const rs = runs.get(name) ?? [];
    const keys = rs.flatMap((r) => r.keysMs);
    return { first: median(rs.map((r) => r.firstRowsMs)), p95: keys.length ? quantile(keys, 0.95) : undefined, keys: keys.length };
  };
  const ours = figures('sipscope');
  const theirs = sngrep ? figures('sngrep') : undefined;
  const targets: TargetResult[] = [
    { name: 'first rows while big100k loads', figure: millis(ours.first), sngrep: theirs ? millis(theirs.first) : '',
      ratio: ratio(ours.first, theirs?.first), limit: `<= ${millis(FIRST_ROWS_TARGET_MS)} (median of ${SCREEN_RUNS})`, pass: ours.first <= FIRST_ROWS_TARGET_MS },
    { name: 'key→frame p95 during the load', figure: ours.p95 === undefined ? 'no sample' : `${millis(ours.p95)} (${ours.keys} keys)`,
      sngrep: theirs?.p95 === undefined ? '' : `${millis(theirs.p95)} (${theirs.keys} keys)`, ratio: ratio(ours.p95 ?? 0, theirs?.p95),
      limit: `<= ${millis(KEY_TARGET_MS)}`, pass: ours.p95 !== undefined && ours.p95 <= KEY_TARGET_MS },
  ];
  for (const line of formatTable(targets.map((t) => [t.name, t.figure, t.sngrep ? `sngrep ${t.sngrep}` : '', t.ratio]))) ctx.log(`  ${line}`);
  for (const t of targets) ctx.target(t);
  return targets.every((t) => t.pass !== false);
}

/** One timed key of the million-dialog run; `undo` (untimed) puts the screen back so every sample changes it. */
interface KeyCase {
  name: string;
  key: (s: PtyScreen) => string;
  undo: (s: PtyScreen) => Promise<void>;
  /** Untimed keys before the timed one (opening the filter prompt and typing the expression). */
  setup?: (s: PtyScreen) => Promise<void>;
}

/** Writes `keys` and waits for the frame they cause, untimed. */
async function press(s: PtyScreen, keys: string): Promise<void> {
  await timeKey(s, keys, 'screen');
}

const FILTER = 'method REGISTER';
const KEY_CASES: KeyCase[] = [
  { name: 'Down', key: (s) => s.cursorKey('down'), undo: async () => {} },
  { name: 'PgDn', key: () => '\x1b[6~', undo: async () => {} },
  { name: 'End', key: (s) => s.cursorKey('end'), undo: (s) => press(s, s.cursorKey('home')) },
  { name: 'Enter (call flow)', key: () => '\r', undo: (s) => press(s, 'q') },
  { name: 'sort (>)', key: () => '>', undo: (s) => press(s, '<') },
  {
    name: `filter (${FILTER}, Enter)`,
    // The prompt opens with the current expression, empty again after each undo.
    setup: async (s) => {
      await press(s, ':');
      for (const c of FILTER) await press(s, c);
    },
    key: () => '\r',
    undo: async (s) => {
      await press(s, ':');
      await press(s, '\x15');
      await press(s, '\r');
    },
  },
];

async function hugeKeys(ctx: BenchContext): Promise<boolean> {
  const meta = ensureCapture(HUGE_CAPTURE, { dialogs: HUGE_DIALOGS }, ctx.log);
  const file = relative(ctx.root, HUGE_CAPTURE);
  ctx.log(`capture: ${file}, ${(meta.bytes / 1e9).toFixed(2)} GB, ${meta.messages} SIP messages in ${meta.dialogs} dialogs (generated, not committed)`);
  ctx.log(`command: node bin/sipscope -I ${file} in a ${COLS}×${ROWS} pty; ${HUGE_SAMPLES} samples per key once loaded`);
  const t0 = performance.now();
  const s = new PtyScreen(SIPSCOPE.args(file), COLS, ROWS);
  const targets: TargetResult[] = [];
  try {
    const dialogsShown = (): number => Number(/Dialogs: ([\d,]+)/.exec(s.text())?.[1]?.replace(/,/g, '') ?? 0);
    try {
      await until(s, (screen) => FIRST_ROW.test(screen) && !SIPSCOPE.loading(screen), HUGE_LOAD_TIMEOUT_MS, 'end of the load');
    } catch (e) {
      // A starved machine may not finish the load: say how far it got and what that held, and fail by name.
      const mem = memoryOf(s.pid);
      const shown = dialogsShown();
      const header = s.text().split('\n')[0]?.trim() ?? '';
      ctx.log(`  ${e instanceof Error ? e.message.split('\n')[0] : String(e)}: ${header} (${loadAverage()})`);
      ctx.target({ name: '1M dialogs: TUI load', figure: `unfinished after ${seconds(performance.now() - t0)}: ${shown} dialogs, ` +
        `VmHWM ${mib(mem.hwmKiB)} (${shown ? ((mem.hwmKiB * 1024) / shown).toFixed(0) : '-'} B per dialog so far)`, sngrep: '', ratio: '',
        limit: `all ${meta.dialogs} in ${seconds(HUGE_LOAD_TIMEOUT_MS)}`, pass: false });
      return false;
    }
    const loadMs = performance.now() - t0;
    const dialogs = dialogsShown();
    ctx.log(`  loaded in ${seconds(loadMs)} (${loadAverage()}); the header counts ${dialogs} dialogs`);
    const rows = [['key', 'median', 'p95', 'max', 'samples', 'result']];
    for (const c of KEY_CASES) {
      const samples: number[] = [];
      for (let i = 0; i < HUGE_SAMPLES; i++) {
        await c.setup?.(s);
        samples.push(await timeKey(s, c.key(s), 'screen'));
        await c.undo(s);
      }
      const p95 = quantile(samples, 0.95);
      rows.push([c.name, millis(median(samples)), millis(p95), millis(Math.max(...samples)), String(samples.length), p95 <= KEY_TARGET_MS ? 'PASS' : 'FAIL']);
      targets.push({ name: `1M dialogs key→frame p95: ${c.name}`, figure: millis(p95), sngrep: '', ratio: '', limit: `<= ${millis(KEY_TARGET_MS)}`, pass: p95 <= KEY_TARGET_MS });
    }
    for (const line of formatTable(rows)) ctx.log(`  ${line}`);
    const mem = memoryOf(s.pid);
    ctx.log(`  memory: VmHWM ${mib(mem.hwmKiB)}, VmRSS ${mib(mem.rssKiB)} after the keys (${loadAverage()})`);
    targets.push(
      { name: '1M dialogs: all in the list', figure: String(dialogs), sngrep: '', ratio: '', limit: `= ${meta.dialogs}`, pass: dialogs === meta.dialogs },
      { name: '1M dialogs: TUI load time', figure: seconds(loadMs), sngrep: '', ratio: '', limit: '(stated)', pass: null },
      { name: '1M dialogs: peak RSS per dialog', figure: `${((mem.hwmKiB * 1024) / meta.dialogs).toFixed(0)} B (${mib(mem.hwmKiB)})`, sngrep: '', ratio: '', limit: '(stated)', pass: null },
      { name: '1M dialogs: peak RSS per message', figure: `${((mem.hwmKiB * 1024) / meta.messages).toFixed(0)} B (${meta.messages} msgs)`, sngrep: '', ratio: '', limit: '(stated)', pass: null },
    );
  } finally {
    await stop(s);
  }
  for (const t of targets) ctx.target(t);
  return targets.every((t) => t.pass !== false);
}

export const screenBench: Bench = {
  name: 'screen',
  description: `first screen while the ${BENCH_DIALOGS / 1000}k-dialog capture loads, in a pty beside sngrep's: ` +
    `first row (target <= ${FIRST_ROWS_TARGET_MS} ms) and key→frame during the load (p95 <= ${KEY_TARGET_MS} ms)`,
  run: firstScreen,
};

export const hugeBench: Bench = {
  name: 'keys1m',
  description: `1,000,000 real dialogs from a generated capture in the TUI at ${COLS}×${ROWS}: key→frame for ` +
    `Down, PgDn, End, Enter, sort, filter (p95 <= ${KEY_TARGET_MS} ms) and peak RSS per dialog and message`,
  run: hugeKeys,
};
