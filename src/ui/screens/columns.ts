import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen } from '../context.js';
import type { Action } from '../keymap.js';
import { COLUMNS, columnById, type ColumnId } from '../../layout/call-columns.js';
import { VirtualList } from '../widgets/virtual-list.js';

/**
 * Chooses and orders the call-list columns (sngrep's F10): the shown columns first, in their order,
 * then the hidden ones. Space shows or hides, K/J (or - and +) move a shown column.
 */
export class ColumnsScreen implements Screen {
  readonly scope = 'columns';
  private readonly list = new VirtualList();
  private shown: ColumnId[];

  constructor(current: readonly ColumnId[], private readonly apply: (ids: ColumnId[]) => void) {
    this.shown = [...current];
  }

  /** Every column in the order listed: shown ones first. */
  get order(): ColumnId[] {
    return [...this.shown, ...COLUMNS.map((c) => c.id).filter((id) => !this.shown.includes(id))];
  }

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    canvas.text(region.x + 1, region.y, 'Call list columns  (Space shows or hides, K/J or -/+ move; the widths follow the terminal)', 'header', region.width - 2);
    const order = this.order;
    this.list.render(this.body(region), order.length, (i, y, isCursor) => {
      const id = order[i]!;
      const override = isCursor ? canvas.theme.cursor : undefined;
      const on = i < this.shown.length;
      canvas.text(region.x + 1, y, `${on ? '[*]' : '[ ]'} ${columnById(id).title}`, on ? 'default' : 'dim', region.width - 2, override);
    });
  }

  handleAction(action: Action, region: Region): KeyResult {
    const count = COLUMNS.length;
    if (this.list.move(action, count, this.body(region).height)) return 'handled';
    const at = this.list.cursor;
    const id = this.order[at]!;
    switch (action) {
      case 'select':
        if (at < this.shown.length) {
          // The list needs at least one column.
          if (this.shown.length > 1) this.shown.splice(at, 1);
        } else {
          this.shown.push(id);
          this.list.cursor = this.shown.length - 1;
        }
        break;
      case 'moveUp':
      case 'moveDown': {
        const to = at + (action === 'moveUp' ? -1 : 1);
        if (at >= this.shown.length || to < 0 || to >= this.shown.length) return 'handled';
        [this.shown[at], this.shown[to]] = [this.shown[to]!, this.shown[at]!];
        this.list.cursor = to;
        break;
      }
      default:
        return 'unhandled';
    }
    this.apply([...this.shown]);
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
