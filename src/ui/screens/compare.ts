import { shownAliases } from '../../config/settings.js';
import type { MessageId } from '../../model/ids.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { diffLines, widestLine } from '../present/diff.js';
import type { MessageView } from '../../model/message-view.js';
import { messageBanner } from '../present/raw-text.js';
import type { StyledLine } from '../../layout/styled.js';
import { lineWidth, sliceLine } from '../../layout/text-width.js';
import { TextPane } from '../widgets/text-pane.js';

/** Cells of the narrower (left) side of a compare view `width` cells wide. */
function sideWidth(width: number): number {
  return Math.max(0, (width - 1) >> 1);
}

/** Two messages side by side (sngrep's compare); lines and values that differ are marked. */
export class CompareScreen implements Screen {
  readonly scope = 'compare';
  private readonly pane = new TextPane();
  private readonly a: MessageView;
  private readonly b: MessageView;
  private readonly banners: [StyledLine, StyledLine];
  /** The diff laid out for one width and scroll; recomputed when either changes. */
  private lines: StyledLine[] = [];
  private linesKey = '';
  /** Cells both sides are scrolled to the right (←/→), so long lines are read whole instead of ending in "…". */
  private scroll = 0;
  private readonly widest: number;

  constructor(private readonly ctx: UiContext, a: MessageId, b: MessageId) {
    const { store } = ctx;
    this.a = store.messageView(a);
    this.b = store.messageView(b);
    const aliases = shownAliases(ctx.settings);
    this.banners = [messageBanner(store.message(a), ctx.ascii, aliases), messageBanner(store.message(b), ctx.ascii, aliases)];
    this.widest = Math.max(widestLine(this.a, this.b, ctx.ascii), ...this.banners.map((l) => lineWidth(l, ctx.ascii)));
  }

  private diff(width: number): StyledLine[] {
    this.scroll = Math.max(0, Math.min(this.scroll, this.widest - sideWidth(width)));
    const key = `${width}/${this.scroll}`;
    if (key !== this.linesKey) {
      this.lines = diffLines(this.a, this.b, width, { ascii: this.ctx.ascii, scroll: this.scroll });
      this.linesKey = key;
    }
    return this.lines;
  }

  private body(region: Region): Region {
    return { x: region.x, y: region.y + 2, width: region.width, height: region.height - 2 };
  }

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    const lines = this.diff(region.width);
    const more = this.widest - sideWidth(region.width);
    const arrows = this.ctx.ascii ? '<>' : '←→';
    const hint = more > 0 ? `  ${arrows} scroll: cells ${this.scroll + 1}-${this.scroll + sideWidth(region.width)} of ${this.widest}` : '';
    canvas.text(region.x + 1, region.y, `Compare messages${hint}`, 'header', region.width - 2);
    const half = Math.max(0, (region.width - 1) >> 1);
    const ascii = this.ctx.ascii;
    canvas.line(region.x, region.y + 1, sliceLine(this.banners[0], this.scroll, half, ascii), half);
    canvas.text(region.x + half, region.y + 1, ascii ? '|' : '│', 'dim', 1);
    canvas.line(region.x + half + 1, region.y + 1, sliceLine(this.banners[1], this.scroll, region.width - half - 1, ascii), region.width - half - 1);
    this.pane.render(canvas, this.body(region), lines);
  }

  handleAction(action: Action, region: Region): KeyResult {
    if (action === 'left' || action === 'right') {
      const step = Math.max(4, sideWidth(region.width) >> 2);
      this.scroll = Math.max(0, this.scroll + (action === 'right' ? step : -step));
      return 'handled';
    }
    const body = this.body(region);
    return this.pane.move(action, this.diff(region.width).length, body.height) ? 'handled' : 'unhandled';
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    if (mouse.kind === 'click') return 'unhandled';
    for (let k = 0; k < 3; k++) this.handleAction(mouse.kind === 'wheelUp' ? 'up' : 'down', region);
    return 'handled';
  }
}
