import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_KEYMAP, footerEntries, keyLabel, resolveKey, type Scope } from '../../src/ui/keymap.js';

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
  assert.equal(resolveKey(DEFAULT_KEYMAP, 'list', 'z'), undefined);
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
