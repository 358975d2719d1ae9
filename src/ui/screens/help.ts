import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen } from '../context.js';
import { keyLabel, type Action, type Keymap, type Scope } from '../keymap.js';
import { FILTER_HELP } from '../../store/filter.js';
import type { StyledLine } from '../../layout/styled.js';
import { MOS_HELP } from '../../media/mos.js';
import { TextPane } from '../widgets/text-pane.js';
import { lineWidth, wrapWords } from '../../layout/text-width.js';

const SECTIONS: [Scope, string][] = [
  ['global', 'Everywhere'],
  ['list', 'Call list'],
  ['triage', 'Triage'],
  ['stats', 'Stats'],
  ['flow', 'Call flow'],
  ['findings', 'Findings pane'],
  ['raw', 'Raw view'],
  ['compare', 'Compare'],
  ['fax', 'Fax'],
  ['streams', 'RTP streams'],
  ['columns', 'Columns'],
  ['filter', 'Display filter form'],
  ['settings', 'Settings'],
];

const KEYS_WIDTH = 22;

function keysText(keys: readonly string[], ascii: boolean): string {
  return keys.length === 0 ? '(none)' : keys.map((k) => keyLabel(k, ascii)).join(' ');
}

/** `text` in lines of at most `width` cells after `indent` cells; the first line follows `first`, the others are indented. */
function hanging(first: StyledLine, text: string, indent: number, width: number, ascii: boolean): StyledLine[] {
  const [head = '', ...rest] = wrapWords(text, width - indent, ascii);
  const pad = ' '.repeat(indent);
  return [[...first, { text: head, style: 'default' }], ...rest.map((part): StyledLine => [{ text: pad + part, style: 'default' }])];
}

/** A prose line of the filter or MOS help; a continuation sits two cells right of the line's own indentation. */
function proseLines(text: string, width: number, ascii: boolean): StyledLine[] {
  const lead = text.length - text.trimStart().length;
  if (text.length <= width) return [[{ text, style: 'default' }]];
  const [head = '', ...rest] = wrapWords(text.slice(lead), width - lead - 2, ascii);
  return [[{ text: text.slice(0, lead) + head, style: 'default' }], ...rest.map((part): StyledLine => [{ text: ' '.repeat(lead + 2) + part, style: 'default' }])];
}

/**
 * Help text generated from the key table, one section per screen, wrapped to `width` cells so nothing
 * is cut on an 80-column terminal. When the rc file rebound keys (`keymap` differs from `defaults`),
 * each line shows the default keys and the keys in effect.
 */
export function helpLines(keymap: Keymap, ascii: boolean, defaults: Keymap = keymap, width = Infinity): StyledLine[] {
  const lines: StyledLine[] = [];
  const rebound = SECTIONS.some(([scope]) => keymap[scope].some((b, k) => b.keys.join() !== defaults[scope][k]?.keys.join()));
  if (rebound) {
    lines.push([{ text: '  ' + 'Default keys'.padEnd(KEYS_WIDTH) + ' ' + 'Your keys (rc file)'.padEnd(KEYS_WIDTH), style: 'title' }]);
    lines.push([]);
  }
  for (const [scope, title] of SECTIONS) {
    lines.push([{ text: title, style: 'title' }]);
    keymap[scope].forEach((b, k) => {
      const keys = keysText(b.keys, ascii).padEnd(KEYS_WIDTH);
      const line: StyledLine = [];
      if (rebound) {
        const was = keysText(defaults[scope][k]?.keys ?? [], ascii).padEnd(KEYS_WIDTH);
        line.push({ text: '  ' + was, style: 'sipHeaderName' }, { text: ' ' + keys, style: keys === was ? 'sipHeaderName' : 'match' });
      } else {
        line.push({ text: '  ' + keys, style: 'sipHeaderName' });
      }
      line.push({ text: ' ', style: 'default' });
      const indent = lineWidth(line, ascii);
      lines.push(...hanging(line, b.description, indent, width, ascii));
    });
    lines.push([]);
  }
  // The language of the filter prompt (F), the same as --filter.
  const [title = '', ...rest] = FILTER_HELP.split('\n');
  lines.push([{ text: `${title} (: in the call list, --filter on the command line)`, style: 'title' }]);
  for (const l of rest) lines.push(...proseLines(l, width, ascii));
  lines.push([]);
  const [mosTitle = '', ...mosRest] = MOS_HELP.split('\n');
  lines.push([{ text: mosTitle, style: 'title' }]);
  for (const l of mosRest) lines.push(...proseLines(l, width, ascii));
  return lines;
}

export class HelpScreen implements Screen {
  readonly scope = 'help';
  private readonly pane = new TextPane();
  private lines: StyledLine[] = [];
  /** The width `lines` are wrapped to; a resize wraps them again. */
  private width = -1;

  constructor(private readonly keymap: Keymap, private readonly ascii: boolean, private readonly defaults: Keymap) {}

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    canvas.text(region.x + 1, region.y, 'Help  sipscope keys (F-keys also work as letters, for SSH and tmux)', 'header', region.width - 2);
    const width = region.width - 1;
    if (width !== this.width) {
      this.lines = helpLines(this.keymap, this.ascii, this.defaults, width);
      this.width = width;
    }
    this.pane.render(canvas, { x: region.x + 1, y: region.y + 1, width, height: region.height - 1 }, this.lines);
  }

  handleAction(action: Action, region: Region): KeyResult {
    return this.pane.move(action, this.lines.length, region.height - 1) ? 'handled' : 'unhandled';
  }
}
