/**
 * Key bindings as data: action → keys + description, per screen. The dispatcher, the footer and
 * the help screen all read this one table (and a future rc file rebinds by editing it).
 * Key names are blessed's `key.full` ('down', 'S-g', 'C-c', 'f4', 'space', '?').
 * Every F-key has a letter alternative because F-keys often do not survive SSH, tmux or screen.
 */

export type Scope =
  | 'global' | 'list' | 'flow' | 'raw' | 'compare' | 'help' | 'columns' | 'confirm' | 'prompt' | 'save' | 'filter' | 'settings' | 'fax' | 'streams' | 'findings' | 'triage' | 'stats';

export type Action =
  | 'up' | 'down' | 'pageUp' | 'pageDown' | 'halfPageUp' | 'halfPageDown' | 'home' | 'end' | 'left' | 'right'
  | 'open' | 'select' | 'back' | 'quit' | 'quitNow' | 'help'
  | 'selectAll' | 'clearSelection' | 'columns' | 'filter'
  | 'extended' | 'raw' | 'compressed' | 'colorMode' | 'syntax' | 'paneWider' | 'paneNarrower' | 'paneReset' | 'togglePane' | 'compare'
  | 'yes' | 'no'
  | 'save' | 'pause' | 'nextField' | 'prevField'
  | 'search' | 'displayFilter' | 'nextMatch' | 'prevMatch' | 'filterExpression' | 'keepMatching' | 'clearAll' | 'keyHints'
  | 'sortNext' | 'sortPrev' | 'sortReverse' | 'settings' | 'moveUp' | 'moveDown' | 'edit' | 'fax' | 'faxRows' | 'faxIndicators' | 'streams'
  | 'sdpMode' | 'mediaRows' | 'findings' | 'triage' | 'focusPane' | 'wrap' | 'timeColumn' | 'onlySdp' | 'autoscroll'
  | 'toggleAlias' | 'stats' | 'onlyMedia';

export interface Binding {
  action: Action;
  keys: string[];
  description: string;
  /** Shown in the one-line footer of this scope. */
  footer?: string;
}

export type Keymap = Record<Scope, Binding[]>;

const moves: Binding[] = [
  { action: 'up', keys: ['up', 'k'], description: 'Move up' },
  { action: 'down', keys: ['down', 'j'], description: 'Move down' },
  { action: 'pageUp', keys: ['pageup', 'C-b'], description: 'Page up' },
  { action: 'pageDown', keys: ['pagedown', 'C-f'], description: 'Page down' },
  { action: 'halfPageUp', keys: ['C-u'], description: 'Half a page up (sngrep\'s ^U)' },
  { action: 'halfPageDown', keys: ['C-d'], description: 'Half a page down (sngrep\'s ^D)' },
  { action: 'home', keys: ['home', 'g', 'C-a'], description: 'First line' },
  { action: 'end', keys: ['end', 'S-g', 'C-e'], description: 'Last line' },
];

/**
 * sngrep 1.8's keys (src/keybinding.c) keep their meaning on the screen sngrep has them on; where
 * ours differed they moved: in the list F3 and Tab filter as you type (sngrep's display filter) while
 * / keeps our highlight search, F7/f/F open the filter form and the expression moved to `:`; in the
 * flow c cycles the colour mode, C toggles syntax colours, s compresses, 9/0 widen/narrow the pane,
 * T resets it, F2/s no longer save (S does), and Q goes back like q; a toggles the aliases on every
 * screen (sngrep handles it in its default key handler), so select-all moved from a to *, and the
 * list's clear-selection from C (sngrep's syntax toggle) to ^W (sngrep's).
 */
export const DEFAULT_KEYMAP: Keymap = {
  global: [
    { action: 'help', keys: ['f1', 'h', 'S-h', '?'], description: 'Show this help', footer: 'Help' },
    { action: 'quitNow', keys: ['C-c'], description: 'Quit from any screen at once (asks first only while a live capture runs)' },
    { action: 'back', keys: ['escape', 'q', 'S-q'], description: 'Back to the previous screen' },
    { action: 'keyHints', keys: ['S-k'], description: 'Footer shows the letter keys instead of the F-keys, or back (sngrep\'s K)' },
    {
      action: 'toggleAlias', keys: ['a'],
      description: 'Show the rc file\'s alias names (alias ADDRESS NAME) instead of the addresses, or the addresses again (sngrep\'s a; displayalias)',
    },
    { action: 'colorMode', keys: ['c'], description: 'Cycle the call flow\'s colour mode: request/response, CSeq, dialog (sngrep\'s c; colormode)' },
  ],
  list: [
    ...moves,
    { action: 'quit', keys: ['q', 'escape', 'S-q'], description: 'Quit (asks first; setting cl.exitprompt off quits at once); a list opened from the triage screen goes back to it', footer: 'Quit' },
    { action: 'select', keys: ['space'], description: 'Select or unselect the dialog', footer: 'Select' },
    { action: 'open', keys: ['enter', 'l', 'right'], description: 'Show the call flow of the selected dialogs', footer: 'Show' },
    { action: 'save', keys: ['f2', 's', 'S-s'], description: 'Save the selected, displayed or all dialogs (pcap, pcapng, text)', footer: 'Save' },
    {
      action: 'displayFilter', keys: ['f3', 'tab'],
      description: 'Filter the list as you type: rows containing the text stay (sngrep\'s display filter)', footer: 'Filter',
    },
    { action: 'search', keys: ['/'], description: 'Search the list: rows containing a text are highlighted', footer: 'Search' },
    { action: 'nextMatch', keys: ['n'], description: 'Next search match' },
    { action: 'prevMatch', keys: ['S-n'], description: 'Previous search match' },
    { action: 'clearAll', keys: ['f5', 'C-l', 'S-x'], description: 'Clear all dialogs (asks first while a live capture runs)', footer: 'Clear' },
    { action: 'filter', keys: ['f7', 'f', 'S-f'], description: 'Display filter form: From, To, Source, Destination, Payload, methods', footer: 'Form' },
    {
      action: 'keepMatching', keys: ['f9', 'S-e'],
      description: 'Hide the dialogs that do not match the filter, even after it changes (until F5)', footer: 'Keep',
    },
    {
      action: 'filterExpression', keys: [':'],
      description: 'Filter expression (dstnum, pai, has, ip, state, and/or…), the matching count shown as you type', footer: 'Expr',
    },
    { action: 'selectAll', keys: ['*'], description: 'Select all dialogs the list shows' },
    { action: 'clearSelection', keys: ['C-w'], description: 'Clear the selection (sngrep\'s ^W)' },
    { action: 'syntax', keys: ['S-c'], description: 'Syntax colours of the message pane and raw view on or off (sngrep\'s C)' },
    { action: 'sortNext', keys: ['>'], description: 'Sort by the next column (arrival order first)' },
    { action: 'sortPrev', keys: ['<'], description: 'Sort by the previous column' },
    { action: 'sortReverse', keys: ['z'], description: 'Reverse the sort order' },
    { action: 'settings', keys: ['f8', 'o', 'S-o'], description: 'Settings (colours, sort, columns, limit, save path; s saves them)', footer: 'Settings' },
    { action: 'columns', keys: ['f10', 't', 'S-t'], description: 'Choose and order the list columns', footer: 'Columns' },
    { action: 'extended', keys: ['f4', 'x'], description: 'Show the extended flow (dialogs linked by X-Call-ID)', footer: 'Extended' },
    { action: 'raw', keys: ['f6', 'r', 'S-r'], description: 'Show the raw messages of the dialog', footer: 'Raw' },
    { action: 'autoscroll', keys: ['S-a'], description: 'Autoscroll: the cursor follows the newest dialog as they arrive, until it is moved (sngrep\'s A)' },
    { action: 'pause', keys: ['p'], description: 'Pause or resume showing new dialogs (the capture goes on)' },
    { action: 'triage', keys: ['!', 'S-d'], description: 'Triage: dialogs per finding and per response code across the capture; Enter lists them' },
    {
      action: 'stats', keys: ['i'], footer: 'Stats',
      description: 'Stats: dialogs, calls by state, messages by method and by response class, with shares (sngrep\'s i)',
    },
  ],
  flow: [
    { action: 'back', keys: ['escape', 'q', 'S-q'], description: 'Back to the call list', footer: 'Back' },
    ...moves,
    { action: 'select', keys: ['space'], description: 'Mark a message; two marks open the compare view', footer: 'Compare' },
    { action: 'clearSelection', keys: ['C-w'], description: 'Unmark the marked message (sngrep\'s ^W)' },
    { action: 'open', keys: ['enter'], description: 'Show the selected message alone' },
    { action: 'left', keys: ['left'], description: 'Scroll a flow wider than the screen to the left (the message, while the pane has the keys)' },
    { action: 'right', keys: ['right'], description: 'Scroll a flow wider than the screen to the right (the message, while the pane has the keys)' },
    {
      action: 'focusPane', keys: ['tab'], footer: 'Pane',
      description: 'Give the keys to the message pane and back: there ↑↓ PgUp PgDn Home End scroll the message, ←→ scroll it sideways (unwrapped), Esc returns',
    },
    { action: 'timeColumn', keys: ['w'], description: 'Show or hide the time and delta column left of the arrows (sngrep\'s w)' },
    { action: 'onlySdp', keys: ['S-d'], description: 'Only the SIP messages carrying SDP (and the media rows), or all again (sngrep\'s D)' },
    {
      action: 'onlyMedia', keys: ['S-m'],
      description: 'Only the media rows (RTP streams, key presses; shown even while m hides them), no SIP messages, or all again (sngrep\'s M)',
    },
    { action: 'wrap', keys: ['S-w'], description: 'Message pane: wrap long lines (as sngrep) or cut them, marked at the edge, to scroll sideways (cf.wrap)' },
    { action: 'raw', keys: ['f6', 'r', 'S-r'], description: 'Show the raw messages', footer: 'Raw' },
    { action: 'extended', keys: ['f4', 'x'], description: 'Toggle the extended flow (X-Call-ID)', footer: 'Extended' },
    { action: 'clearAll', keys: ['f5', 'C-l'], description: 'Leave the flow and clear the call list (as in the list)' },
    { action: 'keepMatching', keys: ['f9', 'S-e'], description: 'Leave the flow and keep only the dialogs matching the filter (F9 in the list)' },
    { action: 'settings', keys: ['o', 'S-o'], description: 'Settings (sngrep\'s o from its default handler; F8 here is syntax colours)' },
    { action: 'compressed', keys: ['s'], description: 'Toggle compressed columns (one column per host)', footer: 'Compress' },
    { action: 'colorMode', keys: ['f7', 'c'], description: 'Cycle the colour mode: by request/response, by CSeq, by dialog (colormode)', footer: 'Colour' },
    { action: 'syntax', keys: ['f8', 'S-c'], description: 'Syntax colours in the message pane on or off', footer: 'Syntax' },
    {
      action: 'sdpMode', keys: ['f2', 'd'], footer: 'SDP',
      description: 'SDP on the arrows: (SDP), first media address:port codec, every m= line (cf.sdpinfo)',
    },
    { action: 'paneWider', keys: ['9', '>'], description: 'Wider message pane' },
    { action: 'paneNarrower', keys: ['0', '<'], description: 'Narrower message pane' },
    { action: 'paneReset', keys: ['S-t'], description: 'Message pane back to its automatic width' },
    { action: 'togglePane', keys: ['t'], description: 'Show or hide the message pane' },
    { action: 'save', keys: ['S-s'], description: 'Save the dialogs of this flow (pcap, pcapng, text, svg, html, md)', footer: 'Save' },
    { action: 'search', keys: ['/'], description: 'Search the messages: matching ones are highlighted', footer: 'Search' },
    { action: 'nextMatch', keys: ['n'], description: 'Next matching message' },
    { action: 'prevMatch', keys: ['S-n'], description: 'Previous matching message' },
    { action: 'fax', keys: ['S-f'], description: 'Fax (T.38): summary, verdict and the T.30 frames of the dialog' },
    { action: 'faxRows', keys: ['S-p'], description: 'Show or hide the fax rows (T.30 frames, pages) in the ladder' },
    { action: 'faxIndicators', keys: ['S-i'], description: 'Show or hide the T.38 indicators (CED, V.21 preamble, training) in the ladder' },
    { action: 'mediaRows', keys: ['f3', 'm'], description: 'Show or hide the RTP stream rows (codec, packets, loss, MOS) and RFC 4733 key presses in the ladder (cf.media)' },
    { action: 'streams', keys: ['S-a'], description: 'RTP streams of these dialogs: loss, jitter, MOS, RTCP, DTMF, jitter/loss over time' },
    { action: 'findings', keys: ['e', '!'], description: 'Show or hide the findings pane (what the diagnosis says; Enter goes to the message)' },
  ],
  findings: [
    ...moves,
    { action: 'open', keys: ['enter'], description: "Go to the finding's message in the ladder", footer: 'Go to message' },
    { action: 'back', keys: ['escape', 'q', 'S-q', 'e', '!'], description: 'Close the findings pane', footer: 'Close' },
  ],
  triage: [
    ...moves,
    { action: 'open', keys: ['enter', 'l', 'right'], description: 'List the dialogs with this finding or response code', footer: 'List dialogs' },
    { action: 'back', keys: ['escape', 'q', 'S-q', '!', 'S-d'], description: 'Back to the call list', footer: 'Back' },
  ],
  raw: [
    ...moves,
    { action: 'syntax', keys: ['f8', 'S-c'], description: 'Syntax colours on or off' },
    { action: 'save', keys: ['f2', 's', 'S-s'], description: 'Save the dialogs of these messages (pcap, pcapng, text)', footer: 'Save' },
    { action: 'clearAll', keys: ['f5', 'C-l'], description: 'Leave and clear the call list (as in the list)' },
    { action: 'keepMatching', keys: ['f9', 'S-e'], description: 'Leave and keep only the dialogs matching the filter (F9 in the list)' },
    { action: 'settings', keys: ['o', 'S-o'], description: 'Settings (sngrep\'s o)' },
    { action: 'back', keys: ['escape', 'q', 'S-q'], description: 'Back', footer: 'Back' },
  ],
  stats: [
    ...moves,
    { action: 'back', keys: ['escape', 'q', 'S-q', 'i'], description: 'Close the stats', footer: 'Close' },
  ],
  streams: [
    ...moves,
    { action: 'sortNext', keys: ['>'], description: 'Sort by the next key (first packet, loss, jitter, MOS)', footer: 'Sort' },
    { action: 'sortPrev', keys: ['<'], description: 'Sort by the previous key' },
    { action: 'sortReverse', keys: ['z'], description: 'Reverse the sort order' },
    { action: 'back', keys: ['escape', 'q', 'S-q', 'S-a'], description: 'Back to the call flow', footer: 'Back' },
  ],
  fax: [
    ...moves,
    { action: 'back', keys: ['escape', 'q', 'S-q', 'S-f'], description: 'Back to the call flow', footer: 'Back' },
  ],
  compare: [
    ...moves,
    { action: 'left', keys: ['left'], description: 'Scroll both messages to the left', footer: 'Scroll' },
    { action: 'right', keys: ['right'], description: 'Scroll both messages to the right' },
    { action: 'back', keys: ['escape', 'q', 'S-q'], description: 'Back to the call flow', footer: 'Back' },
  ],
  help: [
    ...moves,
    { action: 'back', keys: ['escape', 'q', 'S-q', 'f1', 'h', 'S-h', '?'], description: 'Close the help', footer: 'Back' },
  ],
  columns: [
    ...moves.slice(0, 2),
    { action: 'select', keys: ['space', 'enter'], description: 'Show or hide the column', footer: 'Toggle' },
    { action: 'moveUp', keys: ['-', 'S-k'], description: 'Move the column left (up the list)', footer: 'Move up' },
    { action: 'moveDown', keys: ['+', 'S-j'], description: 'Move the column right (down the list)', footer: 'Move down' },
    { action: 'back', keys: ['escape', 'q', 'S-q', 'f10', 't', 'S-t'], description: 'Back to the call list', footer: 'Back' },
  ],
  filter: [
    { action: 'nextField', keys: ['tab', 'down'], description: 'Next field', footer: 'Next field' },
    { action: 'prevField', keys: ['S-tab', 'up'], description: 'Previous field' },
    { action: 'select', keys: ['space'], description: 'Check or uncheck a method', footer: 'Check' },
    { action: 'yes', keys: ['enter'], description: 'Close the form, keeping the filter', footer: 'Apply' },
    { action: 'no', keys: ['escape'], description: 'Close the form, restoring the filter it started with', footer: 'Cancel' },
  ],
  settings: [
    ...moves.slice(0, 2),
    { action: 'edit', keys: ['enter', 'space', 'right'], description: 'Change the setting (toggle, next choice or edit)', footer: 'Change' },
    { action: 'left', keys: ['left'], description: 'Previous choice (as sngrep\'s ←)' },
    { action: 'save', keys: ['s', 'f2'], description: 'Save the settings to the rc file', footer: 'Save' },
    { action: 'back', keys: ['escape', 'q', 'S-q', 'f8', 'o', 'S-o'], description: 'Back to the call list', footer: 'Back' },
  ],
  confirm: [
    { action: 'yes', keys: ['y', 'S-y', 'enter'], description: 'Yes', footer: 'Yes' },
    { action: 'no', keys: ['n', 'S-n', 'escape', 'q'], description: 'No', footer: 'No' },
  ],
  save: [
    { action: 'nextField', keys: ['tab', 'down'], description: 'Next field', footer: 'Next field' },
    { action: 'prevField', keys: ['S-tab', 'up'], description: 'Previous field' },
    { action: 'left', keys: ['left'], description: 'Previous choice' },
    { action: 'right', keys: ['right', 'space'], description: 'Next choice', footer: 'Change' },
    { action: 'yes', keys: ['enter'], description: 'Save (asks before overwriting a file)', footer: 'Save' },
    { action: 'no', keys: ['escape'], description: 'Close without saving', footer: 'Cancel' },
  ],
  prompt: [
    { action: 'yes', keys: ['enter'], description: 'Apply', footer: 'Apply' },
    { action: 'no', keys: ['escape'], description: 'Cancel', footer: 'Cancel' },
  ],
};

/** The keys that empty a text field or prompt, as sngrep's ^U and ^W (its clear action). */
export const CLEAR_TEXT_KEYS: ReadonlySet<string> = new Set(['C-u', 'C-w']);

/** Key → action lookup for one scope; the screen's own bindings shadow the global ones. */
export function resolveKey(keymap: Keymap, scope: Scope, key: string): Action | undefined {
  return keymap[scope].find((b) => b.keys.includes(key))?.action ?? keymap.global.find((b) => b.keys.includes(key))?.action;
}

const KEY_LABELS: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
  enter: 'Enter', escape: 'Esc', space: 'Space', tab: 'Tab',
};

/** How a key is written in the footer and help ('f4' → 'F4', 'S-g' → 'G', 'C-c' → '^C'). */
export function keyLabel(key: string, ascii = false): string {
  if (/^f\d+$/.test(key)) return key.toUpperCase();
  if (key.startsWith('S-') && key.length === 3) return key.slice(2).toUpperCase();
  if (key.startsWith('C-')) return '^' + key.slice(2).toUpperCase();
  const label = KEY_LABELS[key];
  if (label === undefined) return key;
  return ascii && /[^\x20-\x7e]/.test(label) ? key[0]!.toUpperCase() + key.slice(1) : label;
}

/** Screens that take every key (a question or a text input), so global keys would only mislead. */
const TEXT_SCOPES: ReadonlySet<Scope> = new Set(['confirm', 'prompt', 'save', 'filter']);

/** Actions whose partner's key is shown beside theirs in the footer ("←→ Scroll"). */
const FOOTER_PAIRS: Partial<Record<Action, Action>> = { left: 'right' };

/**
 * Footer entries of a scope: the first key of each binding (an F-key when there is one, as sngrep),
 * or with `letters` its first key that is not an F-key (sngrep's alternative hints, K). A global
 * key the screen takes for itself is not offered (F1 closes the help, it does not open it), and
 * `rename` lets a screen say what an action does in its current state (q on a list opened over
 * the triage screen goes back).
 */
export function footerEntries(
  keymap: Keymap, scope: Scope, ascii: boolean, letters = false, rename?: (action: Action) => string | undefined,
): { key: string; label: string }[] {
  const own = new Set(keymap[scope].flatMap((b) => b.keys));
  const globals = TEXT_SCOPES.has(scope) ? [] : keymap.global.map((b) => ({ ...b, keys: b.keys.filter((k) => !own.has(k)) }));
  const seen = new Set<string>();
  const out: { key: string; label: string }[] = [];
  const firstKey = (b: Binding): string | undefined => (letters ? b.keys.find((k) => !/^f\d+$/.test(k)) : undefined) ?? b.keys[0];
  for (const b of [...keymap[scope], ...globals]) {
    const key = firstKey(b);
    if (b.footer === undefined || key === undefined || seen.has(b.action)) continue;
    seen.add(b.action);
    const partner = keymap[scope].find((p) => p.action === FOOTER_PAIRS[b.action]);
    const partnerKey = partner === undefined ? undefined : firstKey(partner);
    out.push({ key: keyLabel(key, ascii) + (partnerKey === undefined ? '' : keyLabel(partnerKey, ascii)), label: rename?.(b.action) ?? b.footer });
  }
  return out;
}

/** What an rc-file `bind` line says (config/rc.ts KeyBinding): scope '' means every scope having the action. */
export interface RebindRequest { scope: string; action: string; keys: readonly string[]; origin: string }

const NAMED_KEYS = new Set([
  'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'enter', 'escape', 'space', 'tab', 'backspace',
  'delete', 'insert',
]);

/** blessed key names: a printable character, a named key, f1–f12, or C-/S-/M- with one of those. */
export function isKeyName(key: string): boolean {
  const base = key.replace(/^([CSM]-)+/, '');
  if (base !== key && base.length === 1) return /^[\x21-\x7e]$/.test(base);
  return /^[\x21-\x7e]$/.test(key) || NAMED_KEYS.has(base) || /^f([1-9]|1[0-2])$/.test(base);
}

/**
 * The keymap with the rc file's `bind` lines applied: the action gets exactly the given keys, and
 * a key taken from another action of the same screen leaves it (so one key never means two things).
 * Unknown scopes, actions and keys become warnings naming the line; the defaults are not modified.
 */
export function applyBindings(keymap: Keymap, bindings: readonly RebindRequest[]): { keymap: Keymap; warnings: string[] } {
  const out = Object.fromEntries(Object.entries(keymap).map(([scope, list]) => [scope, list.map((b) => ({ ...b, keys: [...b.keys] }))])) as Keymap;
  const warnings: string[] = [];
  for (const req of bindings) {
    if (req.scope !== '' && !(req.scope in out)) {
      warnings.push(`${req.origin}: unknown screen '${req.scope}' (${Object.keys(out).join(', ')})`);
      continue;
    }
    const bad = req.keys.find((k) => !isKeyName(k));
    if (bad !== undefined) {
      warnings.push(`${req.origin}: unknown key '${bad}' (keys are written as a, S-a, C-a, f1…f12, enter, escape, space, tab, up…)`);
      continue;
    }
    const scopes = (req.scope === '' ? Object.keys(out) : [req.scope]) as Scope[];
    const targets = scopes.filter((sc) => out[sc].some((b) => b.action === req.action));
    if (targets.length === 0) {
      warnings.push(`${req.origin}: unknown action '${req.action}'${req.scope === '' ? '' : ` in ${req.scope}`}`);
      continue;
    }
    for (const sc of targets) {
      for (const b of out[sc]) {
        if (b.action === req.action) b.keys = [...req.keys];
        else b.keys = b.keys.filter((k) => !req.keys.includes(k));
      }
    }
  }
  return { keymap: out, warnings };
}

/** Every binding as an rc-file `bind` line (what -D prints): reading them back gives this keymap. */
export function keymapRcLines(keymap: Keymap): string[] {
  const lines: string[] = [];
  for (const [scope, bindings] of Object.entries(keymap)) {
    const seen = new Set<string>();
    for (const b of bindings) {
      if (seen.has(b.action)) continue;
      seen.add(b.action);
      // An action whose keys all went to others has none; a bind line needs one.
      lines.push(b.keys.length ? `bind ${scope}.${b.action} ${b.keys.join(',')}` : `# ${scope}.${b.action} has no key`);
    }
  }
  return lines;
}
