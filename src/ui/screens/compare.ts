import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { messageBanner, messageTextLines } from '../present/raw-text.js';
import type { StyledLine } from '../present/styled.js';
import { TextPane } from '../widgets/text-pane.js';

/**
 * Lines of `mine` not found in `theirs` get `changed`; the rest keep `same`.
 * Stand-in until present/diff.ts lands.
 */
function markLines(mine: readonly string[], theirs: readonly string[], changed: 'diffAdded' | 'diffRemoved'): StyledLine[] {
  const other = new Set(theirs);
  return mine.map((line) => [{ text: line, style: other.has(line) ? 'default' : changed }]);
}

/** Two messages side by side; lines that differ are marked. */
export class CompareScreen implements Screen {
  readonly scope = 'compare';
  private readonly pane = new TextPane();
  private readonly left: StyledLine[];
  private readonly right: StyledLine[];
  private readonly banners: [StyledLine, StyledLine];
  private readonly vbar: string;

  constructor(ctx: UiContext, a: number, b: number) {
    const { store } = ctx;
    const textA = messageTextLines(store.messageBytes(a));
    const textB = messageTextLines(store.messageBytes(b));
    this.left = markLines(textA, textB, 'diffRemoved');
    this.right = markLines(textB, textA, 'diffAdded');
    // Equal lengths keep both sides scrolling together.
    while (this.left.length < this.right.length) this.left.push([]);
    while (this.right.length < this.left.length) this.right.push([]);
    this.banners = [messageBanner(store.message(a), ctx.ascii), messageBanner(store.message(b), ctx.ascii)];
    this.vbar = ctx.ascii ? '|' : '│';
  }

  private halves(region: Region): [Region, Region] {
    const w = Math.floor((region.width - 1) / 2);
    const y = region.y + 2;
    const height = region.height - 2;
    return [{ x: region.x, y, width: w, height }, { x: region.x + w + 1, y, width: region.width - w - 1, height }];
  }

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'cursor');
    canvas.text(region.x + 1, region.y, 'Compare messages', 'cursor', region.width - 2, canvas.theme.cursor);
    const [l, r] = this.halves(region);
    canvas.line(l.x, region.y + 1, this.banners[0], l.width);
    canvas.line(r.x, region.y + 1, this.banners[1], r.width);
    for (let y = region.y + 1; y < region.y + region.height; y++) canvas.text(l.x + l.width, y, this.vbar, 'dim', 1);
    this.pane.render(canvas, l, this.left);
    this.pane.render(canvas, r, this.right);
  }

  handleAction(action: Action, region: Region): KeyResult {
    const [l] = this.halves(region);
    return this.pane.move(action, this.left.length, l.height) ? 'handled' : 'unhandled';
  }
}
