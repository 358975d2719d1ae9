/**
 * The parts of sipscope.1 generated from the tables they document, so the page and the program
 * never disagree: the key bindings (ui/keymap.ts), the rc-file settings (config/settings.ts), the
 * finding codes (diagnose/registry.ts), the call-flow export formats (sink/flow-formats.ts) and the
 * call-list columns (layout/call-columns.ts).
 * `npm run man` rewrites them in place; test/man/man-page.test.ts fails when they are stale.
 */
import { SETTING_KEYS, type SettingKey } from '../../src/config/settings.js';
import { FLOW_FORMATS } from '../../src/sink/flow-formats.js';
import { DEFAULT_KEYMAP, keyLabel, type Keymap, type Scope } from '../../src/ui/keymap.js';
import { FINDING_CODES } from '../../src/diagnose/registry.js';
import { COLUMNS } from '../../src/layout/call-columns.js';

const SCOPE_TITLES: Partial<Record<Scope, string>> = {
  global: 'Every screen', list: 'Call list', flow: 'Call flow', raw: 'Raw messages', streams: 'RTP streams', fax: 'Fax screen',
  compare: 'Compare two messages', findings: 'Findings pane (call flow)', triage: 'Triage screen', stats: 'Stats box (call list i)',
  help: 'Help screen', columns: 'Column chooser', filter: 'Filter form', settings: 'Settings screen',
  confirm: 'Questions (y/n)', save: 'Save dialog', prompt: 'Text prompts (search, filter expression)',
};

/** Text made safe for roff: backslashes, minus signs, non-ASCII, and a leading dot or quote that would read as a request. */
export function roffText(s: string): string {
  return s
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/[^\x00-\x7f]/gu, (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`)
    .replace(/^([.'])/, '\\&$1');
}

export function keysSection(keymap: Keymap = DEFAULT_KEYMAP): string {
  const out: string[] = [];
  for (const [scope, bindings] of Object.entries(keymap) as [Scope, Keymap[Scope]][]) {
    out.push(`.SS ${roffText(SCOPE_TITLES[scope] ?? scope)}`);
    for (const b of bindings) {
      out.push('.TP', `.B ${b.keys.length ? roffText(b.keys.map((k) => keyLabel(k, true)).join(', ')) : '(none)'}`);
      out.push(`${roffText(b.description)} (\\fI${scope}.${b.action}\\fR)`);
    }
  }
  return out.join('\n');
}

export function settingsSection(keys: readonly SettingKey[] = SETTING_KEYS): string {
  const out: string[] = [];
  for (const k of keys) {
    out.push('.TP', `.B ${roffText(k.key)}${k.aliases?.length ? ` \\fR(also ${roffText(k.aliases.join(', '))})` : ''}`);
    out.push(roffText(k.description));
  }
  return out.join('\n');
}

/** The call-flow export formats (--flow OUT and the call-flow save dialog), by file extension. */
export function flowFormatsSection(): string {
  return FLOW_FORMATS.flatMap((f) => ['.TP', `.B *${roffText(f.ext)}`, roffText(f.name)]).join('\n');
}

export function findingsSection(): string {
  return FINDING_CODES.map((c) => `.TP\n.BR ${roffText(c.code)} " (${c.severity})"\n${roffText(c.description)}.`).join('\n');
}

/** The call-list columns: the ID the rc file and the chooser use, and the title the list shows. */
export function columnsSection(): string {
  return COLUMNS.map((c) => `.TP\n.B ${roffText(c.id)}\n${roffText(c.title)}`).join('\n');
}

export const GENERATED: Record<string, () => string> = {
  keys: keysSection, settings: settingsSection, findings: findingsSection, 'flow-formats': flowFormatsSection, columns: columnsSection,
};

/** The page with every generated block replaced by its current text. */
export function regenerate(page: string): string {
  let out = page;
  for (const [name, make] of Object.entries(GENERATED)) {
    const re = new RegExp(`(\\.\\\\" BEGIN GENERATED ${name}[^\\n]*\\n)[\\s\\S]*?(\\.\\\\" END GENERATED ${name}\\n)`);
    if (!re.test(out)) throw new Error(`sipscope.1 has no generated block '${name}'`);
    out = out.replace(re, (_m, begin: string, end: string) => `${begin}${make()}\n${end}`);
  }
  return out;
}
