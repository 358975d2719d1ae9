import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpLines } from '../../src/ui/screens/help.js';
import { applyBindings, DEFAULT_KEYMAP, footerEntries, isKeyName, keyLabel, resolveKey, type Scope } from '../../src/ui/keymap.js';

test('every F-key binding also has a key that survives SSH and tmux', () => {
  for (const [scope, bindings] of Object.entries(DEFAULT_KEYMAP)) {
    for (const b of bindings) {
      if (!b.keys.some((k) => /^f\d+$/.test(k))) continue;
      assert.ok(b.keys.some((k) => !/^f\d+$/.test(k)), `${scope}.${b.action} has only F-keys`);
    }
  }
});

test('no key means two things in one screen', () => {
  for (const [scope, bindings] of Object.entries(DEFAULT_KEYMAP)) {
    const seen = new Map<string, string>();
    for (const b of bindings) {
      for (const k of b.keys) {
        assert.ok(!seen.has(k) || seen.get(k) === b.action, `${scope}: ${k} is ${seen.get(k)} and ${b.action}`);
        seen.set(k, b.action);
      }
    }
  }
});

test('screen bindings shadow global ones; unknown keys resolve to nothing', () => {
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', 'q'), 'quit');
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'flow', 'q'), 'back');
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'flow', 'f1'), 'help');
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', 'x'), 'extended');
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', 'z'), 'sortReverse');
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', 'w'), undefined);
});

test('the footer lists each screen\'s main keys with readable labels', () => {
  const list = footerEntries(DEFAULT_KEYMAP, 'list', false).map((e) => `${e.key} ${e.label}`);
  assert.deepEqual(list.slice(0, 3), ['q Quit', 'Space Select', 'Enter Show']);
  assert.ok(list.includes('F1 Help'));
  for (const scope of Object.keys(DEFAULT_KEYMAP) as Scope[]) assert.ok(footerEntries(DEFAULT_KEYMAP, scope, true).every((e) => /^[\x20-\x7e]+$/.test(e.key)));
  assert.equal(keyLabel('S-g'), 'G');
  assert.equal(keyLabel('C-c'), '^C');
  assert.equal(keyLabel('down', true), 'Down');
});

/**
 * sngrep 1.8's keys (src/keybinding.c at 5f1f10d) on the screens both programs have, with the
 * meaning sngrep gives them there (its screen's handler first, then its default handler: a, c, C, p,
 * K, help, Esc); keys sngrep does not have there (/ in the list, :, n, N, *, e, F, I, P, S-a in the flow…) are ours.
 */
const SNGREP_KEYS: Partial<Record<Scope, Record<string, string>>> = {
  list: {
    up: 'up', k: 'up', down: 'down', j: 'down', pagedown: 'pageDown', 'C-f': 'pageDown', pageup: 'pageUp', 'C-b': 'pageUp',
    home: 'home', 'C-a': 'home', end: 'end', 'C-e': 'end',
    f5: 'clearAll', 'C-l': 'clearAll', f9: 'keepMatching', p: 'pause', escape: 'quit', q: 'quit', 'S-q': 'quit',
    f1: 'help', h: 'help', 'S-h': 'help', '?': 'help', f6: 'raw', r: 'raw', 'S-r': 'raw', enter: 'open', f4: 'extended', x: 'extended',
    f7: 'filter', f: 'filter', 'S-f': 'filter', f10: 'columns', t: 'columns', 'S-t': 'columns', f8: 'settings', o: 'settings', 'S-o': 'settings',
    f3: 'displayFilter', tab: 'displayFilter', f2: 'save', s: 'save', 'S-s': 'save', space: 'select',
    '<': 'sortPrev', '>': 'sortNext', z: 'sortReverse', 'S-k': 'keyHints',
    i: 'stats', a: 'toggleAlias', c: 'colorMode', 'C-w': 'clearSelection', 'S-c': 'syntax', 'S-a': 'autoscroll', 'C-d': 'halfPageDown', 'C-u': 'halfPageUp',
  },
  flow: {
    up: 'up', k: 'up', down: 'down', j: 'down', home: 'home', 'C-a': 'home', end: 'end', 'C-e': 'end',
    f5: 'clearAll', 'C-l': 'clearAll', f8: 'syntax', 'S-c': 'syntax', c: 'colorMode', s: 'compressed',
    escape: 'back', q: 'back', 'S-q': 'back', f1: 'help', h: 'help', 'S-h': 'help', '?': 'help',
    f6: 'raw', r: 'raw', 'S-r': 'raw', f4: 'extended', x: 'extended', 'S-s': 'save', space: 'select', enter: 'open',
    t: 'togglePane', 9: 'paneWider', 0: 'paneNarrower', 'S-t': 'paneReset', 'S-k': 'keyHints', f2: 'sdpMode', d: 'sdpMode',
    f3: 'mediaRows', m: 'mediaRows', 'S-m': 'onlyMedia', 'S-d': 'onlySdp', w: 'timeColumn', a: 'toggleAlias', 'C-w': 'clearSelection',
    'C-d': 'halfPageDown', 'C-u': 'halfPageUp', f9: 'keepMatching', o: 'settings', 'S-o': 'settings',
  },
  raw: {
    escape: 'back', q: 'back', 'S-q': 'back', f8: 'syntax', 'S-c': 'syntax', k: 'up', j: 'down', f2: 'save', s: 'save', 'S-s': 'save',
    f5: 'clearAll', 'C-l': 'clearAll', f9: 'keepMatching', a: 'toggleAlias', c: 'colorMode', o: 'settings', 'C-d': 'halfPageDown', 'C-u': 'halfPageUp',
  },
  settings: { up: 'up', down: 'down', space: 'edit', right: 'edit', left: 'left', escape: 'back', q: 'back' },
  stats: { escape: 'back', q: 'back', 'S-q': 'back' },
};

test('sngrep\'s keys keep sngrep\'s meaning on the same screen; ours moved where they differed', () => {
  for (const [scope, keys] of Object.entries(SNGREP_KEYS) as [Scope, Record<string, string>][]) {
    for (const [key, action] of Object.entries(keys)) {
      assert.equal(resolveKey(DEFAULT_KEYMAP, scope, key) ?? 'unbound', action, `${scope} ${key}`);
    }
  }
  // Our own keys that had to move off sngrep's: the expression to :, the highlight search stays on /.
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', ':'), 'filterExpression');
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', '/'), 'search');
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'flow', '/'), 'search');
  // Select-all left a (sngrep's alias toggle) for *, which sngrep's list does not bind.
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', '*'), 'selectAll');
});

test('the help shows the default and the rc file\'s keys side by side once a bind line changed any', () => {
  const text = (lines: ReturnType<typeof helpLines>): string[] => lines.map((l) => l.map((seg) => seg.text).join(''));
  assert.ok(!text(helpLines(DEFAULT_KEYMAP, false, DEFAULT_KEYMAP)).some((l) => l.includes('Default keys')));
  const { keymap } = applyBindings(DEFAULT_KEYMAP, [{ scope: 'list', action: 'search', keys: ['C-s'], origin: 'rc:1' }]);
  const help = text(helpLines(keymap, false, DEFAULT_KEYMAP));
  assert.match(help[0]!, /Default keys +Your keys \(rc file\)/);
  assert.ok(help.some((l) => /^ {2}\/ +\^S +Search the list/.test(l)), help.join('\n'));
  assert.ok(help.some((l) => /^ {2}q Esc Q +q Esc Q +Quit/.test(l)));
});

test('the help wraps to the terminal: nothing is cut at 80 columns, continuations sit under the description', () => {
  const words = (lines: string[]): string => lines.join(' ').split(/\s+/).filter(Boolean).join(' ');
  const wide = helpLines(DEFAULT_KEYMAP, false, DEFAULT_KEYMAP).map((l) => l.map((seg) => seg.text).join(''));
  const narrow = helpLines(DEFAULT_KEYMAP, false, DEFAULT_KEYMAP, 79).map((l) => l.map((seg) => seg.text).join(''));
  assert.ok(narrow.every((l) => l.length <= 79), narrow.filter((l) => l.length > 79).join('\n'));
  assert.equal(words(narrow), words(wide));
  const quit = narrow.findIndex((l) => /^ {2}\^C +Quit from any screen/.test(l));
  assert.match(narrow[quit + 1]!, /^ {25}\S/);
});

test('the footer names the letter keys after K, for terminals that eat F-keys', () => {
  const letters = footerEntries(DEFAULT_KEYMAP, 'list', false, true).map((e) => `${e.key} ${e.label}`);
  assert.ok(letters.includes('s Save') && letters.includes('Tab Filter') && letters.includes('h Help'), letters.join(', '));
  assert.ok(footerEntries(DEFAULT_KEYMAP, 'list', false).map((e) => e.key).includes('F2'));
});

test('bind lines rebind an action; the key leaves any other action of that screen; the defaults stay as they were', () => {
  const { keymap, warnings } = applyBindings(DEFAULT_KEYMAP, [
    { scope: 'list', action: 'search', keys: ['C-s'], origin: 'rc:1' },
    { scope: '', action: 'raw', keys: ['S-r', 'space'], origin: 'rc:2' },
  ]);
  assert.deepEqual(warnings, []);
  assert.equal(resolveKey(keymap, 'list', 'C-s'), 'search');
  assert.equal(resolveKey(keymap, 'list', '/'), undefined);
  // Every screen with a raw action got the keys; Space no longer selects in the list.
  assert.equal(resolveKey(keymap, 'flow', 'S-r'), 'raw');
  assert.equal(resolveKey(keymap, 'list', 'space'), 'raw');
  assert.ok(footerEntries(keymap, 'list', false).every((e) => e.label !== 'Select'));
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', '/'), 'search');
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', 'space'), 'select');
});

test('unknown screens, actions and keys are warnings naming the rc line', () => {
  const { keymap, warnings } = applyBindings(DEFAULT_KEYMAP, [
    { scope: 'lst', action: 'search', keys: ['s'], origin: '/home/u/.sipscoperc:3' },
    { scope: '', action: 'explode', keys: ['e'], origin: '/home/u/.sipscoperc:4' },
    { scope: 'list', action: 'search', keys: ['ctrl+s'], origin: '/home/u/.sipscoperc:5' },
    { scope: 'flow', action: 'filter', keys: ['e'], origin: '/home/u/.sipscoperc:6' },
  ]);
  assert.equal(warnings.length, 4);
  assert.match(warnings[0]!, /^\/home\/u\/\.sipscoperc:3: unknown screen 'lst'/);
  assert.match(warnings[1]!, /:4: unknown action 'explode'/);
  assert.match(warnings[2]!, /:5: unknown key 'ctrl\+s'/);
  assert.match(warnings[3]!, /:6: unknown action 'filter' in flow/);
  assert.deepEqual(keymap.list, DEFAULT_KEYMAP.list);
  for (const k of ['a', 'S-a', 'C-a', 'M-x', 'f12', 'enter', 'S-tab', '/', '<']) assert.ok(isKeyName(k), k);
  for (const k of ['f13', 'ctrl+a', 'aa', '']) assert.ok(!isKeyName(k), k);
});
