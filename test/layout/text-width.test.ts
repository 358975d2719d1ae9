import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellWidth, cutCells, elideAddress, elideStart, fitCells, fitLine, lineWidth, sliceLine, sliceMarked, wrapLine } from '../../src/layout/text-width.js';
import type { StyledLine } from '../../src/layout/styled.js';

test('cellWidth counts wide CJK and emoji as two cells, marks as zero, controls as one', () => {
  assert.equal(cellWidth('alice'), 5);
  assert.equal(cellWidth('山田太郎'), 8);
  assert.equal(cellWidth('😀'), 2);
  assert.equal(cellWidth('☎'), 1); // U+260E is not emoji-presentation in Unicode 11
  assert.equal(cellWidth('e\u0301'), 1);
  assert.equal(cellWidth('a\x1b[2Jb'), 6);
  assert.equal(cellWidth('\ud800'), 1);
  assert.equal(cellWidth('한국'), 4);
});

test('in ASCII mode every non-ASCII character is one cell, as the sanitizer shows it', () => {
  assert.equal(cellWidth('山田😀', true), 3);
});

test('fitCells cuts with an ellipsis and pads to exactly the width, even across a wide character', () => {
  assert.equal(fitCells('abc', 5), 'abc  ');
  assert.equal(fitCells('abcdef', 4), 'abc…');
  assert.equal(fitCells('abcdef', 4, true), 'abc~');
  const cut = fitCells('山田太郎', 6);
  assert.equal(cut, '山田… ');
  assert.equal(cellWidth(cut), 6);
  assert.equal(cellWidth(fitCells('😀😀😀 Bob', 7)), 7);
  assert.equal(fitCells('x', 0), '');
  assert.equal(cutCells('abcdef', 4), 'abc…');
  assert.equal(cutCells('INVITE (SDP)', 8), 'INVITE…', 'no space before the ellipsis');
});

test('elideStart keeps the end of an address (its port)', () => {
  assert.equal(elideStart('2001:db8::1234:5678:5060', 12), '…4:5678:5060');
  assert.equal(elideStart('10.0.0.1:5060', 20), '10.0.0.1:5060');
  assert.equal(elideStart('192.168.100.200:5060', 10, true), '~.200:5060');
});

test('fitLine and wrapLine keep styles and respect cell widths', () => {
  const line: StyledLine = [{ text: 'From: ', style: 'sipHeaderName' }, { text: '"山田" <sip:a@b>', style: 'sipHeaderValue' }];
  assert.equal(lineWidth(line), 22);
  const fitted = fitLine(line, 10);
  assert.equal(lineWidth(fitted), 10);
  assert.equal(fitted[0]!.style, 'sipHeaderName');
  assert.equal(lineWidth(fitLine(line, 30)), 30);
  const wrapped = wrapLine(line, 7);
  for (const l of wrapped) assert.ok(lineWidth(l) <= 7);
  assert.equal(wrapped.map((l) => l.map((s) => s.text).join('')).join(''), 'From: "山田" <sip:a@b>');
  // The wide character that does not fit at the end of a row moves to the next one.
  const split = wrapLine([{ text: 'ab山', style: 'default' }], 3);
  assert.deepEqual(split, [[{ text: 'ab', style: 'default' }], [{ text: '山', style: 'default' }]]);
});

test('elideAddress keeps the port and whole trailing octets or groups', () => {
  assert.equal(elideAddress('192.168.1.2:5060', 16), '192.168.1.2:5060');
  assert.equal(elideAddress('192.168.1.2:5060', 13), '…168.1.2:5060');
  assert.equal(elideAddress('192.168.1.2:5060', 12), '…1.2:5060');
  assert.equal(elideAddress('[2001:db8::1234:5678]:5060', 15), '…5678]:5060');
  assert.equal(elideAddress('192.168.1.2', 9, true), '~168.1.2');
  // Not even the last octet fits: plain cut at the start.
  assert.equal(elideAddress('1.2.3.4:65535', 6), '…65535');
});

test('sliceLine shows cells [from, from + width) of a line, padded, without an ellipsis', () => {
  const text = (l: ReturnType<typeof sliceLine>): string => l.map((s) => s.text).join('');
  const line = [{ text: 'Via: ', style: 'sipHeaderName' as const }, { text: 'SIP/2.0/UDP 10.0.0.1', style: 'default' as const }];
  assert.equal(text(sliceLine(line, 0, 8)), 'Via: SIP');
  assert.equal(text(sliceLine(line, 3, 8)), ': SIP/2.');
  assert.equal(text(sliceLine(line, 20, 8)), '0.0.1   ');
  assert.equal(text(sliceLine(line, 40, 4)), '    ');
  // A wide character cut by an edge is a blank, so the columns stay where they are.
  assert.equal(text(sliceLine([{ text: 'a漢b', style: 'default' }], 2, 3)), ' b ');
});

test('sliceMarked marks the edges a line goes on past: ‹ on the left, › on the right, < > in ASCII', () => {
  const text = (l: ReturnType<typeof sliceLine>): string => l.map((s) => s.text).join('');
  const line = [{ text: 'Via: SIP/2.0/UDP 10.0.0.1', style: 'default' as const }];
  assert.equal(text(sliceMarked(line, 0, 25)), 'Via: SIP/2.0/UDP 10.0.0.1');
  assert.equal(text(sliceMarked(line, 0, 10)), 'Via: SIP/›');
  assert.equal(text(sliceMarked(line, 5, 10)), '‹IP/2.0/U›');
  assert.equal(text(sliceMarked(line, 15, 10)), '‹ 10.0.0.1');
  assert.equal(text(sliceMarked(line, 5, 10, true)), '<IP/2.0/U>');
  // A line wholly left of the view still says it has text there; an empty one stays blank.
  assert.equal(text(sliceMarked(line, 40, 4)), '‹   ');
  assert.equal(text(sliceMarked([], 40, 4)), '    ');
  assert.equal(lineWidth(sliceMarked(line, 5, 10)), 10);
});
