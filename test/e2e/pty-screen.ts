import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { spawn, type IPty } from 'node-pty';
import xtermHeadless from '@xterm/headless';
import { requireSharedPcaps } from '../support/shared-pcaps.js';
import { Unicode11Addon } from '@xterm/addon-unicode11';

const { Terminal } = xtermHeadless;

/** Repo root, from dist/test/e2e/. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** The shared captures, relative to the repo root (sipscope runs there), so headers in snapshots show no machine-specific path. */
export const PCAPS = '../shared/pcaps/';
const SNAPSHOTS = fileURLToPath(new URL('../../../snapshots/', import.meta.url));

/**
 * The real bin/sipscope in a pseudo-terminal, read back through a headless xterm with Unicode 11
 * widths: what a user would see, as text.
 */
export class PtyScreen {
  private readonly term: InstanceType<typeof Terminal>;
  private readonly pty: IPty;
  private pending: Promise<void> = Promise.resolve();
  exitCode: number | undefined;
  private readonly exit: Promise<{ exitCode: number; signal: number }>;
  /** Every terminal title the program set (packet contents must never set one). */
  readonly titles: string[] = [];
  /** Called once each output chunk is on the emulated screen, with when that chunk arrived (performance.now()). */
  private readonly parsedListeners = new Set<(arrivedAt: number) => void>();

  /**
   * `stdin`: a file fed to sipscope's standard input (keys then come from the terminal, /dev/tty).
   * `program`: what runs instead of bin/sipscope (the bench runs sngrep the same way).
   */
  constructor(args: string[], public cols: number, public rows: number, extraEnv: Record<string, string> = {}, stdin?: string,
    program: readonly string[] = [process.execPath, `${REPO}bin/sipscope`]) {
    if (args.some((a) => a.includes(PCAPS)) || stdin?.includes(PCAPS)) requireSharedPcaps();
    this.term = new Terminal({ cols, rows, allowProposedApi: true });
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.onTitleChange((t) => this.titles.push(t));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI' && k !== 'NO_COLOR') env[k] = v;
    Object.assign(env, { TERM: 'xterm-256color', TZ: 'UTC', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }, extraEnv);
    const command = [...program, ...args];
    const [file, argv] = stdin === undefined ? [command[0]!, command.slice(1)] : ['/bin/sh', ['-c', 'f=$1; shift; exec "$@" < "$f"', 'sh', stdin, ...command]];
    this.pty = spawn(file, argv, { cols, rows, cwd: REPO, env, name: env.TERM! });
    this.pty.onData((d) => {
      const arrivedAt = performance.now();
      this.pending = this.pending.then(() => new Promise<void>((resolve) => this.term.write(d, () => {
        for (const listener of this.parsedListeners) listener(arrivedAt);
        resolve();
      })));
    });
    this.exit = new Promise((resolve) => this.pty.onExit((e) => {
      this.exitCode = e.exitCode;
      resolve({ exitCode: e.exitCode, signal: e.signal ?? 0 });
    }));
  }

  /** Everything the program wrote to the terminal so far, as the emulator parsed it. */
  private async flushed(): Promise<void> {
    await this.pending;
  }

  write(keys: string): void {
    this.pty.write(keys);
  }

  /** What the terminal sends for a cursor key: ESC O x once the program asked for application cursor keys (ncurses does). */
  cursorKey(key: 'up' | 'down' | 'right' | 'left' | 'home' | 'end'): string {
    const final = { up: 'A', down: 'B', right: 'C', left: 'D', home: 'H', end: 'F' }[key];
    return `${this.term.modes.applicationCursorKeysMode ? '\x1bO' : '\x1b['}${final}`;
  }

  /** The program's process id (for /proc readings in the bench). */
  get pid(): number {
    return this.pty.pid;
  }

  /** Timing hook for the bench: `listener` sees the screen after each output chunk; returns the unsubscribe. */
  onParsed(listener: (arrivedAt: number) => void): () => void {
    this.parsedListeners.add(listener);
    return () => this.parsedListeners.delete(listener);
  }

  /**
   * The rows whose cell at column `x` stands out from most rows' (another background, or reverse video). A list cursor
   * is one of them, sipscope's and sngrep's alike (sngrep paints every cell's background), so a moved cursor shows as
   * a changed set.
   */
  highlightedRows(x = 1): number[] {
    const buf = this.term.buffer.active;
    const cell = buf.getNullCell();
    const looks: string[] = [];
    for (let y = 0; y < this.rows; y++) {
      const ok = buf.getLine(buf.viewportY + y)?.getCell(x, cell);
      looks.push(ok ? `${cell.getBgColorMode()}:${cell.getBgColor()}:${cell.isInverse()}` : '');
    }
    const counts = new Map<string, number>();
    for (const look of looks) counts.set(look, (counts.get(look) ?? 0) + 1);
    const usual = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    return looks.flatMap((look, y) => (look === usual ? [] : [y]));
  }

  /** The screen as text, trailing blanks trimmed. */
  text(): string {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.rows; y++) lines.push((buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '').trimEnd());
    return lines.join('\n').trimEnd() + '\n';
  }

  /**
   * Waits until the screen shows `until` (when given) and has not changed for `quietMs`;
   * no fixed sleeps, so fast machines are fast and slow ones still pass.
   */
  async settle(until?: RegExp | string, timeoutMs = 10_000, quietMs = 200): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let stableSince = Date.now();
    for (;;) {
      await this.flushed();
      const now = this.text();
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
      const shown = until === undefined || (typeof until === 'string' ? now.includes(until) : until.test(now));
      if (shown && Date.now() - stableSince >= quietMs) return now;
      if (Date.now() > deadline) {
        assert.fail(`screen did not settle${until === undefined ? '' : ` on ${String(until)}`}; it shows:\n${now}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Waits for the program to exit. */
  async exited(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.exitCode === undefined) {
      if (Date.now() > deadline) assert.fail('sipscope did not exit');
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.exitCode;
  }

  /** True once the program has left the alternate screen and switched mouse reporting off. */
  async restored(): Promise<boolean> {
    await this.flushed();
    return this.term.buffer.active.type === 'normal' && this.term.modes.mouseTrackingMode === 'none';
  }

  /** Resizes the terminal, as a user dragging the window does (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.term.resize(cols, rows);
    this.pty.resize(cols, rows);
  }

  /** The colours used on screen: 'default', 'palette' (0-15), 'palette256' (16-255) or 'rgb', each with a count of cells. */
  async colours(): Promise<Record<string, number>> {
    await this.flushed();
    const out: Record<string, number> = {};
    const buf = this.term.buffer.active;
    const cell = buf.getNullCell();
    for (let y = 0; y < this.rows; y++) {
      const line = buf.getLine(buf.viewportY + y);
      for (let x = 0; x < this.cols; x++) {
        if (!line?.getCell(x, cell)) continue;
        for (const [isDefault, isPalette, isRgb, colour] of [
          [cell.isFgDefault(), cell.isFgPalette(), cell.isFgRGB(), cell.getFgColor()],
          [cell.isBgDefault(), cell.isBgPalette(), cell.isBgRGB(), cell.getBgColor()],
        ] as const) {
          const kind = isDefault ? 'default' : isRgb ? 'rgb' : isPalette && colour < 16 ? 'palette' : 'palette256';
          out[kind] = (out[kind] ?? 0) + 1;
        }
      }
    }
    return out;
  }

  /** The mouse tracking the program asked the terminal for. */
  get mouseMode(): string {
    return this.term.modes.mouseTrackingMode;
  }

  signal(sig: 'SIGTERM' | 'SIGHUP' | 'SIGINT'): void {
    this.pty.kill(sig);
  }

  /** Closes the terminal under the program, as an SSH drop does; resolves with how the program ended. */
  hangUp(): Promise<{ exitCode: number; signal: number }> {
    (this.pty as unknown as { destroy(): void }).destroy();
    return this.exit;
  }

  kill(): void {
    if (this.exitCode === undefined) this.pty.kill();
    this.term.dispose();
  }
}

/** Compares a screen with snapshots/<name>.txt; UPDATE_SNAPSHOTS=1 (re)writes the file. */
export function matchSnapshot(name: string, screen: string): void {
  const file = `${SNAPSHOTS}${name}.txt`;
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, screen);
    return;
  }
  assert.ok(existsSync(file), `snapshots/${name}.txt is missing (UPDATE_SNAPSHOTS=1 writes it)`);
  assert.equal(screen, readFileSync(file, 'utf8'), `screen differs from snapshots/${name}.txt (UPDATE_SNAPSHOTS=1 rewrites it)`);
}
