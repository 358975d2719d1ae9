import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandTabs, forEachCell, sanitize } from '../../src/ui/sanitize.js';

test('escape sequences in packet text become visible placeholders', () => {
  assert.equal(sanitize('a\x1b]0;title\x07b\x1b[2J', false), 'a·]0;title·b·[2J');
  assert.equal(sanitize('a\x1b]0;title\x07b', true), 'a?]0;title?b');
});

test('C1 controls, DEL, tab and bidi overrides are placeholders; nothing below 0x20 survives', () => {
  const text = '\x00\x09\x0a\x0d\x7f\u0085\u009b\u202e\u2066x';
  const cells: string[] = [];
  const marks: boolean[] = [];
  forEachCell(text, false, (ch, _w, placeholder) => { cells.push(ch); marks.push(placeholder); });
  assert.deepEqual(cells, ['·', '·', '·', '·', '·', '·', '·', '·', '·', 'x']);
  assert.deepEqual(marks, [true, true, true, true, true, true, true, true, true, false]);
});

test('wide and combining characters report their cell widths; ASCII mode shows ? for non-ASCII', () => {
  const widths: number[] = [];
  forEachCell('日a\u0301', false, (_ch, w) => widths.push(w));
  assert.deepEqual(widths, [2, 1, 0]);
  assert.equal(sanitize('日本é', true), '???');
});

test('tabs expand to the next multiple of eight', () => {
  assert.equal(expandTabs('ab\tc'), 'ab      c');
  assert.equal(expandTabs('no tabs'), 'no tabs');
});
