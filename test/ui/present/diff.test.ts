import { viewOf } from '../../support/views.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines, widestLine } from '../../../src/ui/present/diff.js';
import type { StyledLine } from '../../../src/layout/styled.js';
import { cellWidth, lineWidth } from '../../../src/layout/text-width.js';

function invite(cseq: number, extra: string[] = []): string {
  return [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
    'From: "山田 太郎" <sip:alice@atlanta.example.com>;tag=1928301774',
    'To: Bob <sip:bob@biloxi.example.com>',
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
    `CSeq: ${cseq} INVITE`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** A row split into its two sides (the rule sits at a fixed cell). */
function split(row: StyledLine, width: number): { left: StyledLine; right: StyledLine } {
  const leftWidth = (width - 1) >> 1;
  const left: StyledLine = [];
  const right: StyledLine = [];
  let used = 0;
  for (const seg of row) {
    if (used < leftWidth) left.push(seg);
    else if (used > leftWidth) right.push(seg);
    used += cellWidth(seg.text);
  }
  return { left, right };
}

const text = (line: StyledLine): string => line.map((s) => s.text).join('').trimEnd();
const marked = (line: StyledLine): string[] => line.filter((s) => s.style === 'diffAdded' || s.style === 'diffRemoved').map((s) => `${s.style}:${s.text}`);

test('two INVITEs differing in CSeq and one extra header, side by side', () => {
  const width = 140;
  const rows = diffLines(viewOf(invite(1)), viewOf(invite(2, ['X-Call-ID: 1234@host'])), width);
  for (const row of rows) assert.equal(lineWidth(row), width);
  assert.equal(rows.length, 9);
  const sides = rows.map((r) => split(r, width));
  // Common lines: the same text on both sides, nothing marked.
  assert.equal(text(sides[2]!.left), 'From: "山田 太郎" <sip:alice@atlanta.example.com>;tag=1928301774');
  assert.equal(text(sides[2]!.right), text(sides[2]!.left));
  assert.deepEqual(marked(rows[2]!), []);
  // CSeq changed only in value: the two versions face each other, the difference is marked.
  assert.equal(text(sides[5]!.left), 'CSeq: 1 INVITE');
  assert.equal(text(sides[5]!.right), 'CSeq: 2 INVITE');
  assert.deepEqual(marked(sides[5]!.left), ['diffRemoved:1']);
  assert.deepEqual(marked(sides[5]!.right), ['diffAdded:2']);
  // The extra header exists only on the right.
  assert.equal(text(sides[6]!.left), '');
  assert.deepEqual(marked(sides[6]!.right), ['diffAdded:X-Call-ID: 1234@host']);
  assert.equal(text(sides[7]!.left), 'Content-Length: 0');
});

test('a line only on the left is marked removed; at 80 columns long lines scroll instead of ending in an ellipsis', () => {
  const [a, b] = [viewOf(invite(5, ['Subject: hello'])), viewOf(invite(5))];
  const rows = diffLines(a, b, 80, { ascii: true });
  for (const row of rows) assert.equal(lineWidth(row, true), 80);
  const subject = rows.find((r) => r.some((s) => s.text.startsWith('Subject')))!;
  assert.deepEqual(marked(subject), ['diffRemoved:Subject: hello']);
  assert.ok(!rows.some((r) => r.some((s) => s.text.includes('~'))), 'nothing cut with the ellipsis');
  assert.ok(rows.every((r) => r.some((s) => s.text === '|')));
  const via = 'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds';
  assert.equal(text(split(rows[1]!, 80).left), via.slice(0, 39));
  const scrolled = diffLines(a, b, 80, { ascii: true, scroll: 30 });
  assert.equal(text(split(scrolled[1]!, 80).left), via.slice(30, 69));
  assert.equal(widestLine(a, b), via.length);
});

test('responses with a different status line pair up; identical messages mark nothing', () => {
  const rows = diffLines(viewOf('SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\n'), viewOf('SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n'), 60);
  assert.equal(rows.length, 2);
  assert.deepEqual(marked(rows[0]!), ['diffRemoved:180 Ringing', 'diffAdded:200 OK']);
  assert.ok(diffLines(viewOf(invite(1)), viewOf(invite(1)), 80).every((r) => marked(r).length === 0));
});
