import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footerLine } from '../../../src/ui/present/footer.js';

const ENTRIES = [{ key: 'q', label: 'Quit' }, { key: 'F3', label: 'Search' }, { key: 'F7', label: 'Filter' }, { key: 'F1', label: 'Help' }];
const text = (cols: number): string => footerLine(ENTRIES, cols).map((s) => s.text).join('');

test('the footer: two blanks when everything fits, one when not, whole entries only, Help always last', () => {
  assert.equal(text(80), 'q Quit  F3 Search  F7 Filter  F1 Help  ');
  assert.equal(text(34), 'q Quit F3 Search F7 Filter F1 Help ');
  assert.equal(text(33), 'q Quit F3 Search F1 Help ');
  assert.equal(text(25), 'q Quit F3 Search F1 Help ');
  assert.equal(text(8), 'F1 Help ');
  assert.deepEqual(footerLine(ENTRIES, 80).slice(0, 2).map((s) => s.style), ['title', 'dim']);
});
