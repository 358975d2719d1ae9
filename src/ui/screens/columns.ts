import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen } from '../context.js';
import type { Action } from '../keymap.js';
import { COLUMNS, type ColumnId } from '../present/call-columns.js';
import { VirtualList } from '../widgets/virtual-list.js';

/** Chooses which call-list columns are shown (sngrep's F10 column selection). */
export class ColumnsScreen implements Screen {
  readonly scope = 'columns';
  private readonly list = new VirtualList();
  private readonly shown: Set<ColumnId>;

  constructor(current: readonly ColumnId[], private readonly apply: (ids: ColumnId[]) => void) {
    this.shown = new Set(current);
  }

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    canvas.text(region.x + 1, region.y, 'Call list columns  (Space shows or hides)', 'header', region.width - 2);
    this.list.render(this.body(region), COLUMNS.length, (i, y, isCursor) => {
      const c = COLUMNS[i]!;
      const override = isCursor ? canvas.theme.cursor : undefined;
      canvas.text(region.x + 1, y, `${this.shown.has(c.id) ? '[*]' : '[ ]'} ${c.title}`, 'default', region.width - 2, override);
    });
  }

  handleAction(action: Action, region: Region): KeyResult {
    if (this.list.move(action, COLUMNS.length, this.body(region).height)) return 'handled';
    if (action !== 'select') return 'unhandled';
    const id = COLUMNS[this.list.cursor]!.id;
    if (!this.shown.delete(id)) this.shown.add(id);
    this.apply(COLUMNS.filter((c) => this.shown.has(c.id)).map((c) => c.id));
    return 'handled';
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    if (mouse.kind !== 'click' || !this.list.click(mouse.y - this.body(region).y, COLUMNS.length)) return 'unhandled';
    return this.handleAction('select', region);
  }

  private body(region: Region): Region {
    return { x: region.x, y: region.y + 1, width: region.width, height: region.height - 1 };
  }
}
