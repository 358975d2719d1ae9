import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLUMN_IDS } from '../../src/model/columns.js';
import type { Dialog } from '../../src/model/sip.js';
import { cellText, columnById, COLUMNS, formatDuration, layoutColumns } from '../../src/layout/call-columns.js';
import { DEFAULT_COLUMNS, SNGREP_COLUMNS } from '../../src/model/columns.js';

test('sngrep\'s default columns all fit in 80 columns and the table spans the width', () => {
  const placed = layoutColumns(SNGREP_COLUMNS, 4, 76);
  assert.deepEqual(placed.map((p) => p.column.id), [...SNGREP_COLUMNS]);
  const last = placed[placed.length - 1]!;
  assert.equal(last.x + last.width, 80);
});

test('the default list is sngrep\'s up to 129 columns, with the worst finding after them from 130', () => {
  for (const cols of [80, 100, 129]) assert.deepEqual(layoutColumns(DEFAULT_COLUMNS, 4, cols - 4).map((p) => p.column.id), [...SNGREP_COLUMNS], String(cols));
  const placed = layoutColumns(DEFAULT_COLUMNS, 4, 126);
  assert.deepEqual(placed.map((p) => p.column.id), [...SNGREP_COLUMNS, 'findings']);
  // sngrep's columns keep room for a number (+E.164 is up to 16) and a full IPv4 ip:port beside it.
  for (const id of ['from', 'to']) assert.ok(placed.find((p) => p.column.id === id)!.width >= 16, id);
  for (const id of ['src', 'dst']) assert.equal(placed.find((p) => p.column.id === id)!.width, 21, id);
});

test('columns that do not fit are dropped from the right; spare width goes to growing columns', () => {
  const all = COLUMNS.map((c) => c.id);
  const placed = layoutColumns(all, 0, 120);
  assert.ok(placed.length < all.length);
  const wide = layoutColumns(DEFAULT_COLUMNS, 0, 200);
  const from = wide.find((p) => p.column.id === 'from')!;
  assert.ok(from.width > from.column.minWidth);
});

test('durations read as hours, minutes and seconds', () => {
  assert.equal(formatDuration(3_723_000_000_000n), '01:02:03');
});

test('the index column is as wide as the largest index', () => {
  const placed = layoutColumns(DEFAULT_COLUMNS, 0, 120, 1_000_000);
  assert.equal(placed[0]!.width, 7);
});

test('the list has a column for every id the rc file and the sort know, in the same order', () => {
  assert.deepEqual(COLUMNS.map((c) => c.id), [...COLUMN_IDS]);
});

test('at 120 columns a full IPv4 ip:port fits in Source and Destination; at 80 the port and whole last octets stay', () => {
  const widthOf = (cols: number, id: string): number => layoutColumns(DEFAULT_COLUMNS, 4, cols - 4, 6).find((p) => p.column.id === id)!.width;
  assert.ok(widthOf(120, 'src') >= '255.255.255.255:65535'.length && widthOf(120, 'dst') >= 21);
  const src = columnById('src');
  const d = { src: '192.168.1.2:5060', dst: '212.242.33.35:5060' } as Dialog;
  const at80 = layoutColumns(DEFAULT_COLUMNS, 4, 76, 6);
  const cell = (id: 'src' | 'dst'): string => cellText(columnById(id), d, {}, at80.find((p) => p.column.id === id)!.width, false);
  assert.equal(cell('src'), '…168.1.2:5060');
  assert.equal(cell('dst'), '…33.35:5060');
  assert.equal(cellText(src, { src: '127.0.0.1:5071' } as Dialog, {}, 12, false), '…0.0.1:5071');
});
