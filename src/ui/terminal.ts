import type { EventEmitter } from 'node:events';
import blessed from 'reblessed';
import type { CellRow } from './canvas.js';

/**
 * The part of a blessed Screen we use: its cell buffer, its diffing draw, key and mouse events,
 * and terminal set-up and restore. Typed here because reblessed's own declarations leave the
 * widgets untyped (and the @types/blessed alias does not resolve under NodeNext).
 */
export interface TerminalScreen extends EventEmitter {
  readonly program: EventEmitter & { flush(): void };
  readonly lines: CellRow[];
  /** Colours blessed reduces attributes to when drawing. */
  readonly tput: { colors: number };
  draw(start: number, end: number): void;
  destroy(): void;
}

export interface TerminalOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  terminal: string;
  unicode: boolean;
  /** Colours the terminal shows, when known better than blessed's terminfo reading. */
  colors: (terminfoColors: number) => number;
}

/** Enters the alternate screen with the keyboard in raw mode, the cursor hidden and mouse reporting ready. */
export function openTerminal(o: TerminalOptions): TerminalScreen {
  const create = (blessed as unknown as { screen(options: object): TerminalScreen }).screen;
  const screen = create({
    input: o.input,
    output: o.output,
    terminal: o.terminal,
    fullUnicode: false, // wide characters are laid out by our canvas (see canvas.ts)
    forceUnicode: o.unicode,
    smartCSR: false,
    warnings: false,
    autoPadding: false,
  });
  // No alternate character set: blessed would send '·' as ACS '~', which terminals without ACS show literally.
  (screen.tput as { brokenACS?: boolean }).brokenACS = true;
  screen.tput.colors = o.colors(screen.tput.colors);
  return screen;
}
