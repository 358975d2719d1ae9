import type { DialogId } from '../../model/ids.js';
import { triage, type Triage } from '../../diagnose/triage.js';
import { compileFilter, isFilterError } from '../../store/filter.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { triageLines, type TriageEntry } from '../present/triage.js';
import type { StyledLine } from '../../layout/styled.js';
import { VirtualList } from '../widgets/virtual-list.js';
import { Recount } from '../widgets/recount.js';

/**
 * The capture-wide report card: per finding code and per response code, how many dialogs show it.
 * Enter on a row opens the call list filtered to those dialogs (`finding=CODE`, `response=NNN`);
 * Esc there comes back. The counts follow a live capture (throttled: counting reads every dialog).
 */
export class TriageScreen implements Screen {
  readonly scope = 'triage';
  private readonly list = new VirtualList();
  private top = 0;
  private skippedSeen = '';
  private counts: Triage = { dialogs: 0, findings: [], responses: [] };
  private readonly recounts: Recount;
  private laidOut: { key: string; lines: StyledLine[]; entries: TriageEntry[] } | undefined;

  constructor(
    private readonly ctx: UiContext,
    /** Opens the call list with a filter expression. */
    private readonly listDialogs: (expression: string) => void,
  ) {
    this.recounts = new Recount(ctx.requestRender);
  }

  /** Counts again when the store changed and the last count is old enough; otherwise a frame is asked for later. */
  private recount(): void {
    const { store } = this.ctx;
    // The skip counts move without any dialog changing.
    const skipped = JSON.stringify(store.stats().skipped);
    if (skipped !== this.skippedSeen) {
      this.skippedSeen = skipped;
      this.laidOut = undefined;
    }
    this.recounts.run(store.version, () => {
      const first = store.firstId;
      const n = store.dialogCount();
      const ids = function* (): Generator<DialogId> {
        for (let k = 0; k < n; k++) yield (first + k) as DialogId;
      };
      const codes = this.ctx.responseCodes ?? (() => []);
      this.counts = triage(ids(), { findings: (id) => store.dialog(id)?.findings ?? [], responseCodes: codes });
      this.laidOut = undefined;
    });
  }

  private layout(width: number): { lines: StyledLine[]; entries: TriageEntry[] } {
    const key = `${width}/${this.ctx.ascii}`;
    if (this.laidOut?.key !== key) this.laidOut = { key, ...triageLines(this.counts, width, this.ctx.ascii, this.ctx.store.stats().skipped) };
    return this.laidOut;
  }

  private body(region: Region): Region {
    return { x: region.x + 1, y: region.y + 1, width: region.width - 2, height: Math.max(0, region.height - 1) };
  }

  render(canvas: Canvas, region: Region): void {
    this.recount();
    const body = this.body(region);
    const { lines, entries } = this.layout(body.width);
    canvas.fill({ ...region, height: 1 }, 'header');
    const live = this.ctx.status().done ? '' : '  (counting as dialogs arrive)';
    canvas.text(region.x + 1, region.y, `Triage  ${this.counts.dialogs.toLocaleString('en-US')} dialogs${live}  Enter lists the dialogs of a row`, 'header', region.width - 2);
    this.list.clamp(entries.length, entries.length);
    const cursorLine = entries[this.list.cursor]?.line ?? -1;
    // Scrolled by lines, so a section's title shows above its first row; the cursor's line stays in view.
    if (cursorLine - 1 < this.top) this.top = Math.max(0, cursorLine - 1);
    if (cursorLine >= this.top + body.height) this.top = cursorLine - body.height + 1;
    // On the last row, the lines after it (the skip reasons) scroll into view as far as the cursor allows.
    if (this.list.cursor === entries.length - 1) this.top = Math.max(this.top, Math.min(cursorLine, lines.length - body.height));
    this.top = Math.max(0, Math.min(this.top, lines.length - body.height));
    const from = this.top;
    for (let k = 0; k < body.height && from + k < lines.length; k++) {
      const at = from + k;
      const isCursor = at === cursorLine;
      if (isCursor) canvas.fill({ x: region.x, y: body.y + k, width: region.width, height: 1 }, 'cursor');
      canvas.line(body.x, body.y + k, lines[at]!, body.width, isCursor ? canvas.theme.cursor : undefined);
    }
  }

  handleAction(action: Action, region: Region): KeyResult {
    this.recount();
    const { entries } = this.layout(this.body(region).width);
    if (this.list.move(action, entries.length, Math.max(1, this.body(region).height - 2))) return 'handled';
    if (action !== 'open') return 'unhandled';
    const entry = entries[this.list.cursor];
    if (entry !== undefined && !isFilterError(compileFilter(entry.filter))) this.listDialogs(entry.filter);
    return 'handled';
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    const { entries } = this.layout(this.body(region).width);
    if (mouse.kind !== 'click') {
      this.list.move(mouse.kind === 'wheelUp' ? 'up' : 'down', entries.length, 1);
      return 'handled';
    }
    return 'unhandled';
  }
}
