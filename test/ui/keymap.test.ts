import { test } from 'node:test';
import assert from 'node:assert/strict';
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

test('the issue\'s list keys: / and F3 search, F7 and f filter form, F9 keep matching, F5 clear all, < > z sort, F8 settings, F10 columns', () => {
  const want: Record<string, string> = {
    '/': 'search', f3: 'search', n: 'nextMatch', 'S-n': 'prevMatch', f7: 'filter', f: 'filter', 'S-f': 'filterExpression',
    f9: 'keepMatching', f5: 'clearAll', '<': 'sortPrev', '>': 'sortNext', z: 'sortReverse', f8: 'settings', o: 'settings',
    f10: 'columns', t: 'columns',
  };
  for (const [key, action] of Object.entries(want)) assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', key), action, key);
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'flow', '/'), 'search');
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
