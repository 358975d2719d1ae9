import { appendFileSync, openSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isatty, ReadStream } from 'node:tty';
import type { KeyBinding } from '../config/rc.js';
import { COLOR_MODES, defaultSettings, type Settings } from '../config/settings.js';
import type { MediaStore } from '../media/media-store.js';
import type { FaxStore } from '../media/fax-store.js';
import type { HepLog } from '../store/hep-logs.js';
import type { CaptureStatus } from '../model/status.js';
import type { DialogId } from '../model/ids.js';
import { Canvas, type Region } from './canvas.js';
import type { MouseInput, UiContext, UiStore } from './context.js';
import { FrameScheduler } from './frame-scheduler.js';
import { applyBindings, DEFAULT_KEYMAP, footerEntries, resolveKey, type Action } from './keymap.js';
import { footerLine } from './present/footer.js';
import { ScreenStack } from './screen-stack.js';
import { CallListScreen } from './screens/call-list.js';
import { ConfirmScreen } from './screens/confirm.js';
import { HelpScreen } from './screens/help.js';
import { SettingsScreen } from './screens/settings.js';
import { openTerminal } from './terminal.js';
import { makeTheme, resolveDepth, terminalColors } from './theme.js';

export interface TuiOptions {
  ascii: boolean;
  colors: 'auto' | 256 | 16 | 0;
  live: boolean;
  logFile: string;
  /** Settings in effect (loadSettings, then the command line); defaults when absent. Columns, sort and colours start from here. */
  settings?: Settings;
  /** The rc file's `bind` lines (loadSettings().bindings). */
  bindings?: readonly KeyBinding[];
  /** Where the settings screen saves (loadSettings().file); ~/.sipscoperc when empty or absent. */
  rcFile?: string;
  /** --anonymize: saved files use stand-ins. */
  anonymize?: boolean;
}

export interface TuiContext {
  /** The store (StoreView + relatedDialogs). */
  store: UiStore;
  /** Media kept with -r. */
  media?: MediaStore;
  /** T.38 sessions and findings of the dialogs. */
  fax?: FaxStore;
  /** Distinct response codes of a dialog (the diagnosis's), for the triage screen. */
  responseCodes?: (id: DialogId) => readonly number[];
  /** Log lines HEP agents sent for a dialog (type 100). */
  logs?: (id: DialogId) => readonly HepLog[];
  status(): CaptureStatus;
  /** Closes sources and sinks; called after the terminal is restored. */
  quit(): Promise<void>;
}

/** Where the TUI reads keys and draws: the process's terminal, or fake streams in tests and benchmarks. */
export interface TuiIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** A running TUI. */
export interface TuiSession {
  /** Settles once the terminal is restored and ctx.quit() has finished; rejects after a fatal error. */
  readonly done: Promise<void>;
  /** Restores the terminal and quits (q, signals). */
  close(): Promise<void>;
  /** Restores the terminal, logs the error to the log file and ends the session with it. */
  fatal(err: unknown): void;
  /** Draws a frame now (benchmarks; normally frames are coalesced). */
  renderNow(): void;
  /** The current screen as text, one string per row (tests). */
  screenText(): string[];
  /** Problems with the rc file's `bind` lines, "FILE:LINE: …". */
  readonly warnings: readonly string[];
}

/** How often the header's progress, packets/s and warnings are looked at. */
const STATUS_TICK_MS = 250;

function mouseKind(action: string): MouseInput['kind'] | undefined {
  if (action === 'mousedown') return 'click';
  if (action === 'wheelup') return 'wheelUp';
  if (action === 'wheeldown') return 'wheelDown';
  return undefined;
}

/**
 * Starts the full-screen UI on `io`: one blessed Screen whose cell buffer our widgets fill
 * directly, a stack of screens, key dispatch through the keymap, and redraws coalesced to one
 * per tick (store changes at most ~30 per second).
 */
export function startTui(ctx: TuiContext, opts: TuiOptions, io: TuiIo): TuiSession {
  const settings = structuredClone(opts.settings ?? defaultSettings());
  if (opts.ascii) settings.ascii = true;
  const screen = openTerminal({
    input: io.input,
    output: io.output,
    terminal: io.env.TERM ?? 'xterm',
    unicode: !settings.ascii,
    colors: (terminfo) => terminalColors(io.env, terminfo),
  });
  const program = screen.program;
  const lines = () => screen.lines;
  const depth = resolveDepth(opts.colors, io.env, screen.tput.colors);
  const makeCanvas = () => new Canvas(lines(), makeTheme(settings.color ? depth : 0), settings.ascii);
  let canvas = makeCanvas();
  const { keymap, warnings } = applyBindings(DEFAULT_KEYMAP, opts.bindings ?? []);
  /** K: the footer names each action's letter key instead of its F-key (sngrep's alternative hints). */
  let letterHints = false;

  let resolveDone!: () => void;
  let rejectDone!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => { resolveDone = res; rejectDone = rej; });
  let closed = false;
  const frames = new FrameScheduler(renderFrame, guard);
  const requestRender = (): void => frames.request();

  const uiContext: UiContext = {
    store: ctx.store,
    media: ctx.media,
    fax: ctx.fax,
    responseCodes: ctx.responseCodes,
    logs: ctx.logs,
    status: () => ctx.status(),
    get ascii() { return settings.ascii; },
    keymap,
    live: opts.live,
    anonymize: opts.anonymize,
    settings,
    rcFile: opts.rcFile || join(homedir(), '.sipscoperc'),
    bindings: opts.bindings ?? [],
    settingsChanged: () => {
      canvas = makeCanvas();
      requestRender();
    },
    push: (s) => stack.push(s),
    pop: () => stack.pop(),
    requestRender,
  };
  const stack = new ScreenStack(new CallListScreen(uiContext));

  function region(): Region {
    return { x: 0, y: 0, width: canvas.cols, height: Math.max(0, canvas.rows - 1) };
  }

  function renderFrame(): void {
    canvas.reset(lines());
    const r = region();
    canvas.fill({ x: 0, y: 0, width: canvas.cols, height: canvas.rows });
    for (const s of stack.visible()) s.render(canvas, r);
    const footer = footerLine(footerEntries(keymap, stack.top.scope, settings.ascii, letterHints, (a) => stack.top.footerLabel?.(a)), canvas.cols);
    canvas.fill({ x: 0, y: canvas.rows - 1, width: canvas.cols, height: 1 }, 'default');
    canvas.line(0, canvas.rows - 1, footer, canvas.cols);
    screen.draw(0, canvas.rows - 1);
    program.flush();
  }

  const renderNow = (): void => frames.drawNow();

  /** sngrep's exit prompt: asked when `ask` (q/Esc on the list, unless cl.exitprompt is off); a running capture always asks. */
  function quitRequested(ask: boolean): void {
    const capturing = opts.live && !ctx.status().done;
    if (capturing || ask) {
      stack.push(new ConfirmScreen(uiContext, capturing ? 'A capture is running. Quit sipscope?' : 'Quit sipscope?', () => void close()));
    } else {
      void close();
    }
  }

  /** Screen first, then global actions. */
  function dispatch(action: Action): void {
    if (stack.dispatch(action, region()) !== 'unhandled') return;
    if (action === 'quit' || action === 'quitNow') quitRequested(action === 'quit' && settings.exitPrompt);
    else if (action === 'help' && stack.top.scope !== 'help') stack.push(new HelpScreen(keymap, settings.ascii, DEFAULT_KEYMAP));
    else if (action === 'keyHints') letterHints = !letterHints;
    // sngrep's a, from its default key handler: every screen showing addresses reads the setting when it draws.
    else if (action === 'toggleAlias') settings.displayAlias = !settings.displayAlias;
    // sngrep's default handler also opens the settings (o, F8 in the list) and toggles syntax colours (C, F8 elsewhere).
    else if (action === 'settings' && stack.top.scope !== 'settings') stack.push(new SettingsScreen(uiContext));
    else if (action === 'syntax') settings.syntax = !settings.syntax;
    // sngrep's c, also from its default handler: the flow's colour mode is a setting, so the list cycles it too.
    else if (action === 'colorMode') settings.colorMode = COLOR_MODES[(COLOR_MODES.indexOf(settings.colorMode) + 1) % COLOR_MODES.length]!;
    else if (action === 'back') {
      if (stack.depth > 1) stack.pop();
      else quitRequested(settings.exitPrompt);
    }
  }

  function onKey(ch: string | undefined, key: { full?: string; name?: string } | undefined): void {
    // blessed reports Enter as both 'return' and 'enter'.
    if (key?.full === undefined || key.name === 'return') return;
    const top = stack.top;
    if (top.handleText?.(ch, key.full) === 'handled') {
      requestRender();
      return;
    }
    const action = resolveKey(keymap, top.scope, key.full);
    if (action === undefined) return;
    dispatch(action);
    requestRender();
  }

  function onMouse(data: { action: string; x: number; y: number }): void {
    const kind = mouseKind(data.action);
    const top = stack.top;
    if (kind === undefined || top.handleMouse === undefined) return;
    if (top.handleMouse({ kind, x: data.x, y: data.y }, region()) === 'handled') requestRender();
  }

  function restoreTerminal(): void {
    if (closed) return;
    closed = true;
    frames.stop();
    clearInterval(statusTimer);
    unsubscribe();
    screen.destroy();
  }

  async function close(): Promise<void> {
    if (closed) return done;
    restoreTerminal();
    try {
      await ctx.quit();
      resolveDone();
    } catch (err) {
      rejectDone(err);
    }
    return done;
  }

  function fatal(err: unknown): void {
    const wasOpen = !closed;
    restoreTerminal();
    const text = err instanceof Error ? err.stack ?? err.message : String(err);
    try {
      appendFileSync(opts.logFile, `${new Date().toISOString()} sipscope TUI error\n${text}\n`);
    } catch {
      // Nowhere else to put it; the rejection below still reaches the caller.
    }
    if (wasOpen) void ctx.quit().catch(() => undefined).finally(() => rejectDone(err));
  }

  function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        fatal(err);
      }
    };
  }

  program.on('keypress', guard(onKey));
  screen.on('mouse', guard(onMouse));
  screen.on('resize', guard(renderNow));
  const unsubscribe = ctx.store.subscribe(() => frames.storeChanged());
  // The header shows the status, which changes without store changes (progress, the end of a file, warnings).
  let shownStatus = '';
  const statusTimer = setInterval(() => {
    const s = ctx.status();
    const key = `${s.done}|${s.bytesRead}|${s.framesPerSecond}|${s.dropped}|${s.warnings.length}|${s.warnings[s.warnings.length - 1]}`;
    if (key === shownStatus) return;
    shownStatus = key;
    requestRender();
  }, STATUS_TICK_MS);
  statusTimer.unref();
  guard(renderNow)();

  return {
    done,
    close,
    fatal,
    renderNow: guard(renderNow),
    screenText: () => lines().map((row) => row.map((c) => c[1]).join('')),
    warnings,
  };
}

/**
 * Where keys come from: stdin, unless stdin carries the capture (`tcpdump -w - | sipscope -I -`);
 * then the controlling terminal, as sngrep does.
 */
function keyboardInput(): NodeJS.ReadStream | ReadStream {
  // Asked of the descriptor: process.stdin would open descriptor 0 as a stream even when the decoding thread reads the capture from it.
  if (isatty(0)) return process.stdin;
  try {
    return new ReadStream(openSync('/dev/tty', 'r'));
  } catch {
    return process.stdin;
  }
}

/**
 * Runs the TUI on the process's terminal until the user quits. The terminal is restored on every
 * way out: q, Ctrl-C, SIGTERM/SIGHUP/SIGINT, and an unexpected exception (logged to
 * opts.logFile and re-thrown to the caller as the rejection).
 */
export async function runTui(ctx: TuiContext, opts: TuiOptions): Promise<void> {
  const keyboard = keyboardInput();
  const session = startTui(ctx, opts, { input: keyboard, output: process.stdout, env: process.env });
  const onSignal = () => void session.close();
  const onError = (err: unknown) => session.fatal(err);
  // A terminal that went away (SSH drop, closed window) ends the session like SIGHUP does; it is not a bug to log.
  const onTerminalError = (err: NodeJS.ErrnoException) => (TERMINAL_GONE.has(err.code ?? '') ? void session.close() : onError(err));
  keyboard.on('error', onTerminalError);
  keyboard.once('end', onSignal);
  process.stdout.on('error', onTerminalError);
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const s of signals) process.on(s, onSignal);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    await session.done;
  } finally {
    // Said once the terminal is back, where they stay readable.
    for (const w of session.warnings) process.stderr.write(`sipscope: warning: ${w}\n`);
    if (keyboard !== process.stdin) keyboard.destroy();
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
    process.stdout.off('error', onTerminalError);
    keyboard.off('end', onSignal);
  }
}

/** Errors of a terminal that is no longer there. */
const TERMINAL_GONE = new Set(['EIO', 'EPIPE', 'ENXIO', 'EBADF', 'ECONNRESET']);
