import { appendFileSync, closeSync, openSync } from 'node:fs';
import { isatty } from 'node:tty';
import { tmpdir } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { join } from 'node:path';
import { parseOptions, withSettings } from './cli/options.js';
import { dumpSettings, loadSettings } from './config/rc.js';
import { openInput } from './cli/open-input.js';
import { Pipeline } from './cli/pipeline.js';
import { runHeadless, writeText } from './cli/headless.js';
import { Anonymizer } from './sink/anonymize.js';
import { describeIoError } from './source/byte-reader.js';
import { compileCliFilter } from './cli/filter.js';
import { InputError } from './model/errors.js';
import type { CaptureStatus } from './model/status.js';
import { applyBindings, DEFAULT_KEYMAP, keymapRcLines } from './ui/keymap.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Where a crash's stack goes: not the user's working directory, which may be read-only or shared. */
const ERROR_LOG = join(tmpdir(), 'sipscope-error.log');
/**
 * The TUI's diagnosis runs in slices this long (every DIAGNOSE_EVERY_MS while packets arrive, back to back once
 * the input ends), so a key never waits long for its frame; the file's ingest slices are as short (pcap-file.ts).
 * A file gets a smaller share while it loads: its dialogs are all looked at again once it is read.
 */
const DIAGNOSE_SLICE_MS = 4;
const DIAGNOSE_EVERY_MS = { live: 50, file: 250 };
/** Changed dialogs looked at between looks at the clock. */
const DIAGNOSE_STEP = 16;
/** Standard descriptors that were a terminal at start. */
const TERMINAL_FDS = [0, 1, 2].filter((fd) => isatty(fd));

/**
 * After a hangup (an SSH drop) the terminal is gone, and Node's exit-time restore of its modes
 * fails an assertion and aborts: a core dump and a stack trace instead of a quiet exit. A hung-up
 * terminal no longer answers as one; its descriptors are closed, which that restore skips.
 */
function releaseLostTerminal(): void {
  for (const fd of TERMINAL_FDS) {
    if (isatty(fd)) continue;
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}
process.on('exit', releaseLostTerminal);

/** -T with the TUI: the dialogs as text when it quits; a write error is a warning printed after the screen closes. */
function writeTextOnQuit(pipeline: Pipeline, filter: ReturnType<typeof compileCliFilter>, path: string, anonymize: boolean): void {
  try {
    writeText(pipeline, filter, path, anonymize ? new Anonymizer() : undefined);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    pipeline.status().warnings.push(err.message);
  }
}

async function main(argv: string[]): Promise<number> {
  const commandLine = parseOptions(argv);
  const rc = loadSettings({ file: commandLine.rcFile || undefined, ignore: commandLine.noRc, env: process.env });
  for (const w of rc.warnings) process.stderr.write(`sipscope: warning: ${w}\n`);
  if (commandLine.dumpSettings) {
    // The settings, then every key binding in effect (defaults with the rc file's changes), both as rc-file lines.
    const keys = applyBindings(DEFAULT_KEYMAP, rc.bindings);
    for (const w of keys.warnings) process.stderr.write(`sipscope: warning: ${w}\n`);
    process.stdout.write(dumpSettings(rc.settings) + keymapRcLines(keys.keymap).join('\n') + '\n');
    return 0;
  }
  const opts = withSettings(commandLine, rc.settings);
  const filter = compileCliFilter(opts.filter);
  const source = await openInput(opts);
  const pipeline = new Pipeline(source, opts);
  // A signal (Ctrl-C, kill, SSH drop) stops the reading; the run then ends normally (rules still read messages back
  // from the file), so output is printed and -O closed.
  for (const sig of STOP_SIGNALS) process.on(sig, () => pipeline.stop());
  // logrotate's postrotate: -O closes its file and opens a new one.
  process.on('SIGUSR1', () => pipeline.reopenOutputs());

  if (opts.headless) {
    // The reader of the output went away (`sipscope -N … | head`): stop quietly, as a Unix filter does. -O is closed first.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      pipeline.close();
      if (err.code !== 'EPIPE') process.stderr.write(`sipscope: cannot write the output: ${describeIoError(err)}\n`);
      process.exit(err.code === 'EPIPE' ? 0 : 74);
    });
    return runHeadless(pipeline, opts, filter, process.stdout, process.stderr);
  }
  // -T is written when the TUI quits: a path that cannot be written is refused now, not after the session.
  if (opts.text !== '') {
    try {
      closeSync(openSync(opts.text, 'a'));
    } catch (err) {
      throw new InputError(`cannot write ${opts.text}: ${describeIoError(err)}`);
    }
  }

  // The terminal library is loaded only for the screen: -N runs start without its cost. It is loaded before
  // the file starts: the loader's many small steps would otherwise each wait behind an ingest slice, which
  // put the first frame of a big file a second late.
  const { runTui } = await import('./ui/app.js');
  const running = pipeline.run();
  // Bad input (a missing file, not a capture, a bad filter) is one line and an exit code before the screen opens, as with -N.
  await Promise.race([pipeline.opened, running]);
  // Rules look at changed dialogs while packets arrive, and at everything once the input ends; until then the
  // header still says Loading.
  let quitting = false;
  let diagnosed = false;
  const diagnosing = setInterval(() => {
    const until = performance.now() + DIAGNOSE_SLICE_MS;
    while (pipeline.diagnosis.runPending(DIAGNOSE_STEP) > 0 && performance.now() < until);
  }, source.live ? DIAGNOSE_EVERY_MS.live : DIAGNOSE_EVERY_MS.file);
  const loading = running.then(
    async () => {
      clearInterval(diagnosing);
      while (!quitting && !pipeline.diagnosis.finish(performance.now() + DIAGNOSE_SLICE_MS)) await yieldToLoop();
      diagnosed = true;
    },
    (err: unknown) => {
      clearInterval(diagnosing);
      diagnosed = true;
      pipeline.status().warnings.push(err instanceof Error ? err.message : String(err));
    },
  );
  const status = (): CaptureStatus => {
    const s = pipeline.status();
    return diagnosed || !s.done ? s : { ...s, done: false };
  };
  await runTui(
    { store: pipeline.store, media: pipeline.media, fax: pipeline.fax, responseCodes: (id) => pipeline.diagnosis.responseCodes(id),
      logs: (id) => pipeline.logs.of(pipeline.store.dialog(id)?.callId ?? ''), status,
      quit: async () => {
        // While the capture is still open: -T reads message bytes from it.
        if (opts.text !== '') writeTextOnQuit(pipeline, filter, opts.text, opts.anonymize);
        quitting = true;
        pipeline.close();
      } },
    { ascii: opts.ascii, colors: 'auto', live: source.live, logFile: ERROR_LOG, settings: rc.settings, bindings: rc.bindings, rcFile: rc.file, anonymize: opts.anonymize },
  );
  pipeline.close();
  await loading;
  // The terminal is back: what the header warned about (a -O write error, a cut file) stays on record.
  for (const w of pipeline.status().warnings) process.stderr.write(`sipscope: warning: ${w}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof InputError) {
      process.stderr.write(`sipscope: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      // A bug, not bad input: one line for the user, the stack where it can be found.
      const e = err instanceof Error ? err : new Error(String(err));
      process.stderr.write(`sipscope: internal error: ${e.message} (details: ${ERROR_LOG})\n`);
      try {
        appendFileSync(ERROR_LOG, `${new Date().toISOString()} ${e.stack ?? e.message}\n`);
      } catch {
        // Nowhere to write: the one line above is all the user gets.
      }
      process.exitCode = 70;
    }
  },
);
