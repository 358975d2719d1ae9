import type { DisplayFilterFields } from '../../store/filter.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import { CLEAR_TEXT_KEYS, resolveKey, type Action } from '../keymap.js';

const TEXT_FIELDS = [
  { key: 'from', label: 'From' },
  { key: 'to', label: 'To' },
  { key: 'src', label: 'Source' },
  { key: 'dst', label: 'Destination' },
  { key: 'payload', label: 'Payload' },
] as const;
type TextKey = (typeof TEXT_FIELDS)[number]['key'];

/** sngrep's filter form methods, two columns of five. */
export const FILTER_METHODS = ['REGISTER', 'INVITE', 'SUBSCRIBE', 'NOTIFY', 'OPTIONS', 'PUBLISH', 'MESSAGE', 'INFO', 'REFER', 'UPDATE'] as const;

const FIELD_COUNT = TEXT_FIELDS.length + FILTER_METHODS.length;
const LABEL_WIDTH = 13;
const BOX_WIDTH = 64;

/**
 * The display-filter form (F7): From, To, Source, Destination, Payload and method checkboxes. The
 * list below follows every change; Escape puts back the filter the form opened with.
 */
export class FilterFormScreen implements Screen {
  readonly scope = 'filter';
  readonly overlay = true;
  private readonly text: Record<TextKey, string>;
  private readonly methods: Set<string>;
  private focus = 0;

  constructor(private readonly ctx: UiContext, private readonly initial: DisplayFilterFields, private readonly apply: (fields: DisplayFilterFields) => void) {
    this.text = { from: initial.from ?? '', to: initial.to ?? '', src: initial.src ?? '', dst: initial.dst ?? '', payload: initial.payload ?? '' };
    this.methods = new Set(initial.methods ?? []);
  }

  get fields(): DisplayFilterFields {
    return { ...this.text, methods: FILTER_METHODS.filter((m) => this.methods.has(m)) };
  }

  /** At the bottom, so the first rows of the list it filters stay in view. */
  render(canvas: Canvas, region: Region): void {
    const width = Math.min(BOX_WIDTH, region.width - 2);
    const height = Math.min(region.height - 2, 3 + TEXT_FIELDS.length + 1 + FILTER_METHODS.length / 2);
    const box = { x: region.x + Math.floor((region.width - width) / 2), y: region.y + Math.max(1, region.height - height), width, height };
    canvas.fill(box, 'default');
    canvas.fill({ ...box, height: 1 }, 'header');
    canvas.text(box.x + 1, box.y, 'Display filter  (shown live; Enter keeps it, Esc undoes)', 'header', width - 2);
    const inner = width - 2;
    TEXT_FIELDS.forEach((f, i) => {
      const y = box.y + 2 + i;
      canvas.text(box.x + 1, y, f.label, 'title', LABEL_WIDTH);
      const fieldWidth = inner - LABEL_WIDTH;
      const value = this.text[f.key] + (this.focus === i ? '_' : '');
      // A long value shows its end, where the typing is.
      const shown = value.slice(Math.max(0, value.length - fieldWidth));
      canvas.fill({ x: box.x + 1 + LABEL_WIDTH, y, width: fieldWidth, height: 1 }, this.focus === i ? 'cursor' : 'dim', '.');
      canvas.text(box.x + 1 + LABEL_WIDTH, y, shown, this.focus === i ? 'cursor' : 'default', fieldWidth, this.focus === i ? canvas.theme.cursor : undefined);
    });
    const top = box.y + 3 + TEXT_FIELDS.length;
    const half = FILTER_METHODS.length / 2;
    FILTER_METHODS.forEach((m, k) => {
      const y = top + (k % half);
      if (y >= box.y + box.height) return;
      const x = box.x + 1 + (k < half ? 0 : Math.floor(inner / 2));
      const focused = this.focus === TEXT_FIELDS.length + k;
      canvas.text(x, y, `${this.methods.has(m) ? '[*]' : '[ ]'} ${m}`, focused ? 'cursor' : 'default', Math.floor(inner / 2), focused ? canvas.theme.cursor : undefined);
    });
  }

  /** The form takes every key: typing goes to the focused text field, the keymap's keys move and check. */
  handleText(ch: string | undefined, key: string): KeyResult {
    const action = resolveKey(this.ctx.keymap, this.scope, key);
    const field = TEXT_FIELDS[this.focus]?.key;
    if (field !== undefined && action !== 'yes' && action !== 'no' && action !== 'nextField' && action !== 'prevField') {
      const before = this.text[field];
      if (key === 'backspace') this.text[field] = before.slice(0, -1);
      else if (CLEAR_TEXT_KEYS.has(key)) this.text[field] = '';
      else if (ch !== undefined && ch.length === 1 && ch >= ' ' && ch !== '\x7f') this.text[field] += ch;
      // Payload reads every message's bytes, too slow for each key of a big capture: it applies on leaving the field.
      if (this.text[field] !== before && field !== 'payload') this.apply(this.fields);
      return 'handled';
    }
    if (action !== undefined) this.handleAction(action);
    return 'handled';
  }

  handleAction(action: Action): KeyResult {
    if (TEXT_FIELDS[this.focus]?.key === 'payload' && (action === 'nextField' || action === 'prevField' || action === 'yes')) this.apply(this.fields);
    switch (action) {
      case 'nextField': this.focus = (this.focus + 1) % FIELD_COUNT; break;
      case 'prevField': this.focus = (this.focus + FIELD_COUNT - 1) % FIELD_COUNT; break;
      case 'select': {
        const m = FILTER_METHODS[this.focus - TEXT_FIELDS.length];
        if (m === undefined) break;
        if (!this.methods.delete(m)) this.methods.add(m);
        this.apply(this.fields);
        break;
      }
      case 'yes': this.ctx.pop(); break;
      case 'no':
        this.ctx.pop();
        this.apply(this.initial);
        break;
      default: break;
    }
    return 'handled';
  }
}
