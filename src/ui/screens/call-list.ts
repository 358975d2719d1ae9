import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { DialogId } from '../../model/ids.js';
import type { Dialog } from '../../model/sip.js';
import { compileFilter, displayFilter, filterDialogs, isFilterError, type DialogFilter, type DisplayFilterFields } from '../../store/filter.js';
import { RESORT_MS, type DialogQuery } from '../../store/query.js';
import type { Action } from '../keymap.js';
import { cellText, columnById, layoutColumns, stateStyle, type Column, type ColumnId } from '../../layout/call-columns.js';
import { aliasOf } from '../../layout/alias.js';
import { aliasMap } from '../../config/settings.js';
import { callListHeader } from '../present/header.js';
import { findAll } from '../present/search.js';
import { VirtualList } from '../widgets/virtual-list.js';
import { CallFlowScreen } from './call-flow.js';
import { ColumnsScreen } from './columns.js';
import { ConfirmScreen } from './confirm.js';
import { FilterFormScreen } from './filter.js';
import { PromptScreen } from './prompt.js';
import { RawScreen } from './raw.js';
import { LIST_SAVE_FORMATS, SaveScreen, type SaveChoice } from './save.js';
import { StatsScreen } from './stats.js';
import { TriageScreen } from './triage.js';

const HEADER_LINES = 2;
/** The list idle this long (no frame), the sorts < and > lead to are prepared. */
const PREPARE_SORTS_MS = 250;
const BOX = 4; // "[*] "

/** Both filters at once; undefined when neither filters anything. */
function bothFilters(a: DialogFilter | undefined, b: DialogFilter | undefined): DialogFilter | undefined {
  if (a === undefined || a.text === '') return b?.text === '' ? undefined : b;
  if (b === undefined || b.text === '') return a;
  return { text: `${a.text} and ${b.text}`, test: (s, id) => a.test(s, id) && b.test(s, id) };
}

/**
 * The default screen: one row per dialog, sngrep's columns, Space selects, Enter opens the flow.
 * Columns and sort live in ctx.settings, so the settings screen and the keys here change one thing.
 */
export class CallListScreen implements Screen {
  readonly scope = 'list';
  readonly list = new VirtualList();
  /** Ids of the selected dialogs (some may be gone: rotation and F5 drop them from the store, not from here). */
  readonly selected = new Set<DialogId>();
  /** The rows: the store's window with the filters and the sort of the settings. */
  private readonly rows: DialogQuery;
  /** The display-filter form (F7) and the filter expression (F), each undefined when empty. */
  private form: DisplayFilterFields = {};
  private formFilter: DialogFilter | undefined;
  private expression: DialogFilter | undefined;
  /** Display filter (F3, sngrep's): only rows containing this text, applied as it is typed. */
  private display: DialogFilter | undefined;
  /** Search text ('/'): rows containing it are highlighted; n and N go to the next and previous. */
  private search = '';
  /** The last search found no row ("not found" in the header until the next search). */
  private notFound = false;
  private resortTimer: NodeJS.Timeout | undefined;
  /** Sorts by the keys < and > lead to, once the capture is read and the list idle (prepareSorts). */
  private prepareTimer: NodeJS.Timeout | undefined;
  /** What preparing a sort threw, thrown again by the next frame: the app's handler restores the terminal. */
  private prepareError: unknown;
  /** The dialog under the cursor and the window version it was seen at: a re-sort moves the cursor with it. */
  private cursorDialog: DialogId | undefined;
  private cursorVersion = -1;
  /** A: the cursor goes to the newest dialog on every frame; moving it stops that (sngrep's autoscroll). */
  private autoscroll = false;
  private aliasMemo: { list: readonly unknown[]; map: ReadonlyMap<string, string> } | undefined;
  private searchMemo: { columns: readonly unknown[]; aliases: ReadonlyMap<string, string> | undefined; list: Column[] } | undefined;

  /**
   * `expression`: a filter expression the list starts with (the triage screen's rows); such a list
   * is opened over another screen, and q/Esc go back to it instead of quitting.
   */
  constructor(private readonly ctx: UiContext, private readonly opened?: { expression: string }) {
    this.rows = ctx.store.query({ sort: { key: ctx.settings.sortKey, descending: ctx.settings.sortDescending } });
    const f = opened === undefined ? undefined : compileFilter(opened.expression);
    if (f !== undefined && !isFilterError(f)) {
      this.expression = f;
      this.rows.setFilter(f);
    }
  }

  private body(region: Region): Region {
    // Header lines, then the column titles.
    const top = HEADER_LINES + 1;
    return { x: region.x, y: region.y + top, width: region.width, height: Math.max(0, region.height - top) };
  }

  get columns(): ColumnId[] {
    return this.ctx.settings.columns.map((c) => c.id);
  }

  /**
   * The address columns through the rc file's aliases while displayalias is on (a toggles it): what
   * the cells show and what the display filter and the search look in.
   */
  private shownColumn(c: Column): Column {
    const aliases = this.aliases();
    if (c.address !== true || aliases === undefined) return c;
    return { ...c, value: (d, ctx) => { const v = c.value(d, ctx); return aliasOf(v, aliases) ?? v; } };
  }

  /** The alias names in effect (undefined while addresses show as they are), rebuilt only when the rc list changes. */
  private aliases(): ReadonlyMap<string, string> | undefined {
    const { settings } = this.ctx;
    if (!settings.displayAlias || settings.aliases.length === 0) return undefined;
    if (this.aliasMemo?.list !== settings.aliases) this.aliasMemo = { list: settings.aliases, map: aliasMap(settings) };
    return this.aliasMemo.map;
  }

  /** The columns the display filter and the search look in, kept while the columns and the alias state stay. */
  private searchColumns(): Column[] {
    const { settings } = this.ctx;
    const key = { columns: settings.columns, aliases: this.aliases() };
    const memo = this.searchMemo;
    if (memo?.columns !== key.columns || memo.aliases !== key.aliases) {
      const ids = [...new Set([...this.columns, 'fromUri' as const, 'toUri' as const])];
      this.searchMemo = { ...key, list: ids.map((id) => this.shownColumn(columnById(id))) };
    }
    return this.searchMemo!.list;
  }

  /** The combined filter the list shows (form and expression), undefined when none. */
  get activeFilter(): DialogFilter | undefined {
    return bothFilters(this.formFilter, this.expression);
  }

  /** The row under the cursor follows its dialog when the window changed (a re-sort, new dialogs above it). */
  private followCursor(): void {
    const version = this.rows.version;
    if (version === this.cursorVersion) return;
    this.cursorVersion = version;
    if (this.cursorDialog === undefined) return;
    const row = this.rows.rowOf(this.cursorDialog);
    if (row >= 0) this.list.cursor = row;
  }

  /** Remembers which dialog the cursor is on, after a key or a click moved it. */
  private noteCursor(): void {
    const count = this.rows.count;
    this.cursorDialog = count === 0 ? undefined : this.rows.idAt(Math.min(this.list.cursor, count - 1));
    this.cursorVersion = this.rows.version;
  }

  /** Brings the window up to date; a deferred re-sort of a growing list asks for another frame later. */
  private refresh(): number {
    if (this.prepareError !== undefined) throw this.prepareError;
    const { settings } = this.ctx;
    this.rows.setSort({ key: settings.sortKey, descending: settings.sortDescending });
    if (this.rows.resortPending && this.resortTimer === undefined) {
      this.resortTimer = setTimeout(() => {
        this.resortTimer = undefined;
        this.ctx.requestRender();
      }, RESORT_MS);
      this.resortTimer.unref();
    }
    const count = this.rows.count;
    this.followCursor();
    this.prepareSorts();
    if (this.autoscroll && count > 0) {
      // The newest dialog: last in arrival order, first when the order is reversed.
      this.list.cursor = settings.sortDescending ? 0 : count - 1;
      this.noteCursor();
    }
    return count;
  }

  render(canvas: Canvas, region: Region): void {
    const count = this.refresh();
    const total = this.rows.total;
    const header = callListHeader(this.ctx.status(), {
      shown: count, total, selected: this.selected.size, filter: this.activeFilter?.text ?? '',
      display: this.display?.text ?? '', filtered: this.rows.filtered, search: this.search, notFound: this.notFound,
      paused: this.rows.paused, autoscroll: this.autoscroll,
      aliases: this.ctx.settings.displayAlias ? this.ctx.settings.aliases.length : undefined,
    });
    header.forEach((line, i) => canvas.line(region.x, region.y + i, line, region.width));

    const placed = layoutColumns(this.columns, region.x + BOX, region.width - BOX, total).map((p) => ({ ...p, column: this.shownColumn(p.column) }));
    const titleY = region.y + HEADER_LINES;
    canvas.fill({ x: region.x, y: titleY, width: region.width, height: 1 }, 'header');
    const { key, descending } = this.rows.sort;
    const arrow = canvas.ascii ? (descending ? 'v' : '^') : descending ? '▼' : '▲';
    for (const p of placed) {
      const sorted = p.column.id === key || (key === 'date' && p.column.id === 'time') || (key === 'time' && p.column.id === 'date');
      const title = p.column.title;
      // The arrow stays visible in a narrow column by taking the title's last cell.
      const marked = title.length < p.width ? title + arrow : title.slice(0, p.width - 1) + arrow;
      canvas.text(p.x, titleY, sorted && (key !== 'index' || descending) ? marked : title, 'header', p.width);
    }

    const body = this.body(region);
    const cursorAttr = canvas.theme.cursor;
    this.list.clamp(count, body.height);
    const shown = this.rows.rows(this.list.top, body.height);
    this.list.render(body, count, (row, y, isCursor) => {
      const d = shown[row - this.list.top];
      if (d === undefined) return;
      const i = d.id;
      const style = this.selected.has(i) ? 'selected' : stateStyle(d.state);
      const override = isCursor ? cursorAttr : undefined;
      if (isCursor) canvas.fill({ x: region.x, y, width: region.width, height: 1 }, 'cursor');
      canvas.text(region.x, y, this.selected.has(i) ? '[*]' : '[ ]', style, BOX, override);
      for (const p of placed) {
        const text = cellText(p.column, d, this.ctx.store, p.width, canvas.ascii);
        const own = this.selected.has(i) ? undefined : p.column.style?.(d, this.ctx.store);
        canvas.text(p.x, y, text, own ?? style, p.width, override);
        for (const hit of findAll(text, this.search, canvas.ascii)) canvas.text(p.x + hit.x, y, hit.text, 'match', p.width - hit.x);
      }
    });
  }

  footerLabel(action: Action): string | undefined {
    return action === 'quit' && this.opened !== undefined ? 'Back' : undefined;
  }

  handleAction(action: Action, region: Region): KeyResult {
    const result = this.act(action, region);
    this.noteCursor();
    return result;
  }

  private act(action: Action, region: Region): KeyResult {
    const count = this.refresh();
    if (this.list.move(action, count, this.body(region).height)) {
      this.autoscroll = false;
      return 'handled';
    }
    switch (action) {
      case 'select':
        if (count === 0) return 'handled';
        this.toggle(this.rows.idAt(this.list.cursor));
        this.list.move('down', count, this.body(region).height);
        return 'handled';
      case 'selectAll':
        for (let row = 0; row < count; row++) this.selected.add(this.rows.idAt(row));
        return 'handled';
      case 'filter':
        this.ctx.push(new FilterFormScreen(this.ctx, this.form, (fields) => this.setForm(fields)));
        return 'handled';
      case 'filterExpression':
        this.ctx.push(this.expressionPrompt());
        return 'handled';
      case 'keepMatching':
        this.rows.keepMatching();
        return 'handled';
      case 'clearAll':
        if (this.ctx.live && !this.ctx.status().done) this.ctx.push(new ConfirmScreen(this.ctx, 'Clear all dialogs?', () => this.clearAll()));
        else this.clearAll();
        return 'handled';
      case 'search':
        this.ctx.push(new PromptScreen(this.ctx, 'Search', this.search, (text) => {
          this.search = text;
          this.findMatch(1, 0);
          this.noteCursor();
        }));
        return 'handled';
      case 'displayFilter':
        this.ctx.push(this.displayPrompt());
        return 'handled';
      case 'nextMatch':
      case 'prevMatch':
        this.findMatch(action === 'nextMatch' ? 1 : -1, 1);
        return 'handled';
      case 'sortNext':
      case 'sortPrev':
        this.cycleSort(action === 'sortNext' ? 1 : -1);
        return 'handled';
      case 'sortReverse':
        this.ctx.settings.sortDescending = !this.ctx.settings.sortDescending;
        return 'handled';
      case 'stats':
        this.ctx.push(new StatsScreen(this.ctx));
        return 'handled';
      case 'clearSelection':
        this.selected.clear();
        return 'handled';
      case 'open':
        if (count > 0) this.ctx.push(new CallFlowScreen(this.ctx, this.chosen(), false));
        return 'handled';
      case 'extended':
        if (count > 0) this.ctx.push(new CallFlowScreen(this.ctx, this.chosen(), true));
        return 'handled';
      case 'raw':
        if (count > 0) this.ctx.push(this.rawScreen());
        return 'handled';
      case 'save':
        this.ctx.push(new SaveScreen(this.ctx, this.saveChoices(), new Date(), LIST_SAVE_FORMATS));
        return 'handled';
      case 'autoscroll':
        this.autoscroll = !this.autoscroll;
        this.refresh();
        return 'handled';
      case 'pause':
        this.rows.pause(!this.rows.paused);
        return 'handled';
      case 'columns':
        this.ctx.push(new ColumnsScreen(this.columns, (ids) => { this.setColumns(ids); }));
        return 'handled';
      case 'triage':
        this.ctx.push(new TriageScreen(this.ctx, (expression) => this.ctx.push(new CallListScreen(this.ctx, { expression }))));
        return 'handled';
      case 'quit':
        if (this.opened === undefined) return 'unhandled';
        this.ctx.pop();
        return 'handled';
      default:
        return 'unhandled';
    }
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    const body = this.body(region);
    const count = this.rows.count;
    if (mouse.kind === 'wheelUp' || mouse.kind === 'wheelDown') {
      this.list.scroll(mouse.kind === 'wheelUp' ? -3 : 3, count, body.height);
      return 'handled';
    }
    const row = mouse.y - body.y;
    if (!this.list.click(row, count)) return 'unhandled';
    // A click on the selection box toggles it, as Space does.
    if (mouse.x < region.x + BOX - 1) this.toggle(this.rows.idAt(this.list.cursor));
    this.noteCursor();
    return 'handled';
  }

  /** Selected (when some are still held), the rows the list shows, or every dialog held. */
  private saveChoices(): SaveChoice[] {
    const { store } = this.ctx;
    const selected = this.heldSelection();
    const displayed = (): DialogId[] => Array.from({ length: this.rows.count }, (_, row) => this.rows.idAt(row));
    const all = (): DialogId[] => Array.from({ length: store.dialogCount() }, (_, k) => (store.firstId + k) as DialogId);
    return [
      ...(selected.length > 0 ? [{ label: `selected (${selected.length})`, dialogs: () => selected }] : []),
      { label: 'displayed', dialogs: displayed },
      { label: 'all', dialogs: all },
    ];
  }

  /** The selected dialogs the store still holds, ascending. */
  private heldSelection(): DialogId[] {
    return [...this.selected].filter((id) => this.ctx.store.dialog(id) !== undefined).sort((a, b) => a - b);
  }

  private toggle(dialog: DialogId): void {
    if (!this.selected.delete(dialog)) this.selected.add(dialog);
  }

  private rawScreen(): RawScreen {
    const { store } = this.ctx;
    const dialogs = this.chosen();
    const held = dialogs.flatMap((id) => store.dialog(id) ?? []);
    const messages = held.flatMap((d) => d.messages).sort((a, b) => a - b);
    const title = held.length === 1 ? `Raw  Call-ID: ${held[0]!.callId}` : `Raw  ${held.length} dialogs`;
    return new RawScreen(this.ctx, messages, title);
  }

  /** The selected dialogs still held, or the one under the cursor when none is. */
  private chosen(): DialogId[] {
    const selected = this.heldSelection();
    return selected.length > 0 ? selected : [this.rows.idAt(this.list.cursor)];
  }

  private setForm(fields: DisplayFilterFields): void {
    this.form = fields;
    this.formFilter = displayFilter(fields);
    this.applyFilter();
  }

  private applyFilter(): void {
    this.rows.setFilter(bothFilters(this.activeFilter, this.display));
    this.list.cursor = 0;
    this.list.top = 0;
    this.noteCursor();
  }

  /** F3: the list keeps the rows containing the text, re-filtered on each key (sngrep's display filter). */
  private displayPrompt(): PromptScreen {
    const apply = (text: string): void => {
      const needle = text.toLowerCase();
      this.display = text === '' ? undefined : { text, test: (store, id) => this.rowContains(store.dialog(id), needle) };
      this.applyFilter();
    };
    const before = this.display?.text ?? '';
    return new PromptScreen(this.ctx, 'Display', before, (text) => apply(text), (text) => {
      apply(text);
      return { status: `${this.rows.count.toLocaleString('en-US')} of ${this.rows.total.toLocaleString('en-US')} dialogs` };
    }, () => apply(before));
  }

  /** A dialog whose shown columns (and From/To hosts, even when hidden: `/example.org` finds a domain) contain `needle`. */
  private rowContains(d: Dialog | undefined, needle: string): boolean {
    if (d === undefined) return false;
    return this.searchColumns().some((c) => c.value(d, this.ctx.store).toLowerCase().includes(needle));
  }

  /** The expression prompt: compiled on each key, with the matching count or the error under a caret. */
  private expressionPrompt(): PromptScreen {
    const { store } = this.ctx;
    // The expression last counted: Enter applies that one, whose answer is still at hand (filter.ts).
    let checked: { text: string; filter: ReturnType<typeof compileFilter> } | undefined;
    const compiled = (text: string): ReturnType<typeof compileFilter> => {
      if (checked?.text !== text) checked = { text, filter: compileFilter(text) };
      return checked.filter;
    };
    const check = (text: string): { status: string; caret?: number } => {
      const f = compiled(text);
      if (isFilterError(f)) return { status: f.message, caret: f.position };
      // payload reads every message's bytes: counted once applied, not on each key.
      if (/\bpayload\b/i.test(text)) return { status: 'payload: Enter applies it' };
      const matching = f.text === '' ? store.dialogCount() : filterDialogs(store, f).length;
      return { status: `${matching.toLocaleString('en-US')} matching` };
    };
    return new PromptScreen(this.ctx, 'Filter', this.expression?.text ?? '', (text) => {
      const f = compiled(text);
      if (isFilterError(f)) return false;
      this.expression = f.text === '' ? undefined : f;
      this.applyFilter();
      return true;
    }, check);
  }

  private clearAll(): void {
    this.ctx.store.clear();
    this.selected.clear();
    this.list.cursor = 0;
    this.list.top = 0;
    this.cursorDialog = undefined;
  }

  private setColumns(ids: ColumnId[]): void {
    const widths = new Map(this.ctx.settings.columns.map((c) => [c.id, c.width]));
    this.ctx.settings.columns = ids.map((id) => ({ id, width: widths.get(id) ?? 0 }));
  }

  /** < and >: the sort column moves through arrival order and the shown columns. */
  private cycleSort(step: 1 | -1): void {
    this.ctx.settings.sortKey = this.sortAfter(step);
  }

  /** The sort key < (-1) or > (1) leads to. */
  private sortAfter(step: 1 | -1): ColumnId {
    const keys = ['index' as const, ...this.columns.filter((c) => c !== 'index')];
    const at = keys.indexOf(this.ctx.settings.sortKey);
    return keys[(Math.max(0, at) + step + keys.length) % keys.length]!;
  }

  /**
   * Once the capture is read, the orders < and > lead to are sorted when no frame came for a
   * moment, so those keys find them ready (a million rows take milliseconds to sort, a first sort more).
   */
  private prepareSorts(): void {
    clearTimeout(this.prepareTimer);
    if (!this.ctx.status().done) return;
    this.prepareTimer = setTimeout(() => {
      this.prepareTimer = undefined;
      try {
        if (!this.ctx.status().done) return;
        this.rows.prepareSort(this.sortAfter(1));
        this.rows.prepareSort(this.sortAfter(-1));
      } catch (err) {
        this.prepareError = err;
        this.ctx.requestRender();
      }
    }, PREPARE_SORTS_MS);
    this.prepareTimer.unref();
  }

  /** Moves the cursor to the next (1) or previous (-1) row containing the search text, starting `skip` rows away. */
  private findMatch(step: 1 | -1, skip: 0 | 1): void {
    this.notFound = false;
    if (this.search === '') return;
    const count = this.rows.count;
    const needle = this.search.toLowerCase();
    for (let k = skip; k < count + skip; k++) {
      const row = (((this.list.cursor + step * k) % count) + count) % count;
      if (this.rowContains(this.ctx.store.dialog(this.rows.idAt(row)), needle)) {
        this.list.cursor = row;
        return;
      }
    }
    this.notFound = true;
  }
}
