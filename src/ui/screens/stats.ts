import { captureStats, emptyStats, type CaptureStats } from '../../store/capture-stats.js';
import type { StyledLine } from '../../layout/styled.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { statsLines } from '../present/stats.js';
import { Recount } from '../widgets/recount.js';
import { TextPane } from '../widgets/text-pane.js';
import { drawBox } from '../widgets/box.js';

/** sngrep's box is 60 cells; ours takes a little more for counts of big captures. */
const BOX_WIDTH = 72;

/**
 * sngrep's stats box (i in the call list) over the list: the dialogs held, calls by state, messages
 * by method and response class, each with its share. The counts follow a live capture (throttled:
 * counting reads every message's columns); a box taller than the terminal scrolls.
 */
export class StatsScreen implements Screen {
  readonly scope = 'stats';
  readonly overlay = true;
  private readonly pane = new TextPane();
  private readonly recounts: Recount;
  private stats: CaptureStats = emptyStats();
  private laidOut: { width: number; ascii: boolean; lines: StyledLine[] } | undefined;

  constructor(private readonly ctx: UiContext) {
    this.recounts = new Recount(ctx.requestRender);
  }

  private lines(width: number): StyledLine[] {
    if (this.recounts.run(this.ctx.store.version, () => { this.stats = captureStats(this.ctx.store); })) this.laidOut = undefined;
    const { ascii } = this.ctx;
    if (this.laidOut?.width !== width || this.laidOut.ascii !== ascii) this.laidOut = { width, ascii, lines: statsLines(this.stats, width, ascii) };
    return this.laidOut.lines;
  }

  /** The box, centred; its inside is `body`. */
  private geometry(region: Region): { box: Region; body: Region } {
    const width = Math.min(region.width, BOX_WIDTH);
    const inner = width - 4;
    const height = Math.min(region.height, this.lines(inner).length + 2);
    const box = { x: region.x + Math.floor((region.width - width) / 2), y: region.y + Math.floor((region.height - height) / 2), width, height };
    return { box, body: { x: box.x + 2, y: box.y + 1, width: inner, height: Math.max(0, height - 2) } };
  }

  render(canvas: Canvas, region: Region): void {
    const { box, body } = this.geometry(region);
    const lines = this.lines(body.width);
    const live = this.ctx.status().done ? '' : '  (counting as dialogs arrive)';
    const more = lines.length > body.height ? `${canvas.ascii ? 'Up/Down' : '↑↓'} scroll, ` : '';
    drawBox(canvas, box, `Stats Information${live}`, ` ${more}Esc to leave `);
    this.pane.render(canvas, body, lines);
  }

  handleAction(action: Action, region: Region): KeyResult {
    const { body } = this.geometry(region);
    if (this.pane.move(action, this.lines(body.width).length, body.height)) return 'handled';
    // The list's keys do not reach through the box; Esc, q and i close it (the keymap's back).
    return action === 'back' || action === 'help' || action === 'quitNow' ? 'unhandled' : 'handled';
  }
}
