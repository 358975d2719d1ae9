import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualList } from '../../src/ui/widgets/virtual-list.js';

test('moves, pages and jumps inside the list', () => {
  const l = new VirtualList();
  l.move('down', 100, 10);
  assert.equal(l.cursor, 1);
  l.move('pageDown', 100, 10);
  assert.equal(l.cursor, 10);
  l.move('end', 100, 10);
  assert.deepEqual([l.cursor, l.top], [99, 90]);
  l.move('down', 100, 10);
  assert.equal(l.cursor, 99);
  l.move('home', 100, 10);
  assert.deepEqual([l.cursor, l.top], [0, 0]);
  l.move('up', 100, 10);
  assert.equal(l.cursor, 0);
});

test('the cursor stays on its row while the list grows', () => {
  const l = new VirtualList();
  l.move('pageDown', 50, 10);
  const before = [l.cursor, l.top];
  l.clamp(5000, 10);
  assert.deepEqual([l.cursor, l.top], before);
});

test('only visible rows are drawn, even for a million rows', () => {
  const l = new VirtualList();
  l.move('end', 1_000_000, 20);
  const drawn: number[] = [];
  l.render({ x: 0, y: 3, width: 80, height: 20 }, 1_000_000, (i) => drawn.push(i));
  assert.equal(drawn.length, 20);
  assert.equal(drawn[19], 999_999);
});

test('wheel scrolling drags the cursor along; clicks pick rows', () => {
  const l = new VirtualList();
  l.scroll(30, 100, 10);
  assert.deepEqual([l.top, l.cursor], [30, 30]);
  assert.ok(l.click(4, 100));
  assert.equal(l.cursor, 34);
  assert.ok(!l.click(200, 100));
});
