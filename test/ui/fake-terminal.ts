import { PassThrough, Writable } from 'node:stream';
import { startTui, type TuiContext, type TuiOptions, type TuiSession } from '../../src/ui/app.js';
import type { CaptureStatus } from '../../src/model/status.js';
import type { UiStore } from '../../src/ui/context.js';

/** Everything the TUI wrote, and a hook called after each write (frame timing). */
export class FakeOutput extends Writable {
  columns: number;
  rows: number;
  readonly isTTY = true;
  written = '';
  onWrite: (() => void) | undefined;

  constructor(cols: number, rows: number) {
    super();
    this.columns = cols;
    this.rows = rows;
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.written += chunk.toString();
    done();
    this.onWrite?.();
  }

  /** Pretends the terminal was resized. */
  resize(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeInput extends PassThrough {
  readonly isTTY = true;
  setRawMode(): this { return this; }
}

export function offlineStatus(store: UiStore, overrides: Partial<CaptureStatus> = {}): () => CaptureStatus {
  return () => ({
    mode: 'Offline', input: 'fake.pcap', bpf: '', match: '', bytesRead: 100, bytesTotal: 100,
    frames: store.messageCount(), framesPerSecond: 0, done: true, warnings: [], ...overrides,
  });
}

export interface FakeTui { session: TuiSession; input: FakeInput; output: FakeOutput; quits: number[] }

/** The TUI on fake streams, as a headless terminal of `cols`×`rows`. */
export function fakeTui(store: UiStore, cols = 80, rows = 24, opts: Partial<TuiOptions> = {}, status = offlineStatus(store)): FakeTui {
  const input = new FakeInput();
  const output = new FakeOutput(cols, rows);
  const quits: number[] = [];
  const ctx: TuiContext = { store, status, quit: async () => { quits.push(Date.now()); } };
  const session = startTui(ctx, { ascii: false, colors: 16, live: false, logFile: '/dev/null', ...opts }, {
    input,
    output,
    env: { TERM: 'xterm-256color' },
  });
  return { session, input, output, quits };
}

/** Lets queued immediates (the coalesced frame) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export const KEYS = {
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', pageDown: '\x1b[6~', pageUp: '\x1b[5~',
  home: '\x1b[H', end: '\x1b[F', enter: '\r', escape: '\x1b', space: ' ', f1: '\x1bOP', f4: '\x1bOS', f6: '\x1b[17~',
} as const;
