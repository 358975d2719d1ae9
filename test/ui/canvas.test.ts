import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Canvas, type CellRow } from '../../src/ui/canvas.js';
import { makeTheme } from '../../src/ui/theme.js';

function grid(cols: number, rows: number): CellRow[] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, (): [number, string] => [0, ' ']));
}
const text = (row: CellRow) => row.map((c) => c[1]).join('');

test('controls are drawn as placeholders in the placeholder style, nothing else', () => {
  const theme = makeTheme(16);
  const lines = grid(12, 1);
  new Canvas(lines, theme, false).text(0, 0, 'a\x1b[2Jb', 'default', 12);
  assert.equal(text(lines[0]!), 'a·[2Jb      ');
  assert.equal(lines[0]![1]![0], theme.placeholder);
  assert.equal(lines[0]![2]![0], theme.default);
  for (const [, ch] of lines[0]!) assert.ok(!/[\x00-\x1f\x7f-\x9f]/.test(ch));
});

test('a wide character takes two cells; one that would be cut at the edge is left out', () => {
  const lines = grid(5, 1);
  const c = new Canvas(lines, makeTheme(0), false);
  assert.equal(c.text(0, 0, 'a日本', 'default', 4), 3);
  assert.deepEqual(lines[0]!.map((cell) => cell[1]), ['a', '日', '', ' ', ' ']);
});

test('combining marks join the character before them; the cursor attribute overrides styles', () => {
  const theme = makeTheme(16);
  const lines = grid(4, 1);
  new Canvas(lines, theme, false).line(0, 0, [{ text: 'e\u0301x', style: 'sipMethod' }], 4, theme.cursor);
  assert.equal(lines[0]![0]![1], 'e\u0301');
  assert.equal(lines[0]![1]![1], 'x');
  assert.equal(lines[0]![1]![0], theme.cursor);
  assert.ok(lines[0]!.dirty);
});
