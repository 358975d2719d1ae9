import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTheme, resolveDepth, terminalColors } from '../../src/ui/theme.js';

test('NO_COLOR wins over the terminal; otherwise terminfo decides', () => {
  assert.equal(resolveDepth('auto', { NO_COLOR: '1' }, 256), 0);
  assert.equal(resolveDepth('auto', {}, 256), 256);
  assert.equal(resolveDepth('auto', {}, 16), 16);
  assert.equal(resolveDepth('auto', {}, 8), 8);
  assert.equal(resolveDepth('auto', {}, 2), 0);
  assert.equal(resolveDepth(16, { NO_COLOR: '1' }, 256), 16);
});

test('without colour every style keeps default colours; the cursor is reverse video', () => {
  const mono = makeTheme(0);
  for (const attr of Object.values(mono)) assert.equal(attr & 0x3ffff, 0x3ffff, 'default fg and bg');
  assert.equal(mono.cursor >> 18, 8);
  const colour = makeTheme(16);
  assert.notEqual(colour.stateInCall, colour.stateRejected);
  for (const attr of Object.values(colour)) assert.ok(((attr >> 9) & 0x1ff) < 16 || ((attr >> 9) & 0x1ff) === 0x1ff, '16 colours only');
});

test('TERM or COLORTERM naming 256 or true colour is believed over an unreadable terminfo', () => {
  assert.equal(terminalColors({ TERM: 'tmux-256color' }, 8), 256);
  assert.equal(terminalColors({ TERM: 'xterm', COLORTERM: 'truecolor' }, 8), 256);
  assert.equal(terminalColors({ TERM: 'screen' }, 8), 8);
});

test('with 8 colours secondary text keeps the default colour instead of turning black', () => {
  assert.equal((makeTheme(8).dim >> 9) & 0x1ff, 0x1ff);
  assert.equal((makeTheme(16).dim >> 9) & 0x1ff, 8);
});
