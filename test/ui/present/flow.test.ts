import { viewOf } from '../../support/views.js';
import { dialogId, messageId } from '../../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  flowHeader, flowMessageFrom, flowRows, formatClock, formatDelta, layoutFlow, lifelineOf, mergeFlows,
  type FlowLayout, type FlowLayoutOptions, type FlowMessage, type FlowRowsOptions,
} from '../../../src/ui/present/flow.js';
import type { Style, StyledLine } from '../../../src/ui/present/styled.js';
import { cellWidth, lineWidth } from '../../../src/ui/present/text-width.js';
import type { SipMessage } from '../../../src/model/sip.js';

const T0 = 1_700_000_000_000_000_000n; // 2023-11-14T22:13:20Z

function plain(line: StyledLine): string {
  return line.map((s) => s.text).join('');
}

/** Cells of a line as [char, style] (a wide character leaves an empty cell after it). */
function cells(line: StyledLine): [string, Style][] {
  const out: [string, Style][] = [];
  for (const seg of line) {
    for (const ch of seg.text) {
      const w = cellWidth(ch);
      if (w === 0) continue;
      out.push([ch, seg.style]);
      if (w === 2) out.push(['', seg.style]);
    }
  }
  return out;
}

let nextIndex = 0;
/** Messages are 250 ms apart, counting from T0 again after each reset. */
function resetClock(): void {
  nextIndex = 0;
}
function msg(src: string, dst: string, label: string, extra: Partial<FlowMessage> = {}): FlowMessage {
  const i = nextIndex++;
  const status = /^\d{3}/.test(label) ? Number(label.slice(0, 3)) : 0;
  return { id: messageId(i), ts: T0 + BigInt(i) * 250_000_000n, src, dst, label, request: status === 0, status, cseq: 1, hasSdp: false, retrans: false, dialog: dialogId(0), ...extra };
}

const addr = (i: number): string => `10.0.${i}.${i + 1}:5060`;

/** A call through a chain of proxies: INVITE forwarded hop by hop, 180 and 200 back, ACK forward. */
function chain(n: number): FlowMessage[] {
  const out: FlowMessage[] = [];
  for (let h = 0; h + 1 < n; h++) out.push(msg(addr(h), addr(h + 1), 'INVITE', { hasSdp: true }));
  for (const label of ['180 Ringing', '200 OK']) {
    for (let h = n - 1; h > 0; h--) out.push(msg(addr(h), addr(h - 1), label, { hasSdp: label === '200 OK' }));
  }
  for (let h = 0; h + 1 < n; h++) out.push(msg(addr(h), addr(h + 1), 'ACK', { cseq: 1 }));
  return out;
}

const NORMAL: FlowLayoutOptions = { compressed: false, ascii: false, timeColumn: true };
const ROWS: FlowRowsOptions = { selected: -1, colorBy: 'type' };

function render(layout: FlowLayout, msgs: FlowMessage[], opts: FlowRowsOptions = ROWS): StyledLine[] {
  return [...flowHeader(layout), ...flowRows(layout, msgs, 0, msgs.length, opts)];
}

for (const n of [2, 3, 6]) {
  for (const width of [80, 160]) {
    for (const compressed of [false, true]) {
      test(`${n} addresses at ${width} columns${compressed ? ', compressed' : ''}: every line fills the width, columns fit`, () => {
        const msgs = chain(n);
        const layout = layoutFlow(msgs, width, { ...NORMAL, compressed });
        assert.equal(layout.columns.length + layout.hidden, n);
        assert.equal(layout.rowsPerMessage, compressed ? 1 : 2);
        const lines = render(layout, msgs);
        assert.equal(lines.length, 2 + msgs.length * layout.rowsPerMessage);
        for (const line of lines) assert.equal(lineWidth(line), width);
        assert.ok(layout.usedWidth <= width);
        // Lifelines are ordered, inside the width, and apart enough for a label.
        const xs = layout.columns.map((c) => c.x);
        for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! - xs[i - 1]! >= (compressed ? 10 : 16));
        assert.ok(xs.every((x) => x >= 16 && x < width));
        // Titles are centred on their lifelines, the rule has a tee under each.
        const [titles, rule] = flowHeader(layout).map(cells);
        for (const col of layout.columns) {
          assert.equal(rule![col.x]![0], '┬');
          assert.notEqual(titles![col.x]![0], ' ');
        }
      });
    }
  }
}

test('at 80 columns 2 and 3 addresses all fit, 6 overflow; at 160 all 6 fit', () => {
  assert.equal(layoutFlow(chain(2), 80, NORMAL).hidden, 0);
  assert.equal(layoutFlow(chain(2), 80, NORMAL).spacing, 30);
  assert.equal(layoutFlow(chain(3), 80, NORMAL).hidden, 0);
  const six80 = layoutFlow(chain(6), 80, NORMAL);
  assert.equal(six80.columns.length, 3);
  assert.equal(six80.hidden, 3);
  assert.equal(layoutFlow(chain(6), 160, NORMAL).hidden, 0);
  // The compressed view is narrower: six hosts fit in 80 columns.
  assert.equal(layoutFlow(chain(6), 80, { ...NORMAL, compressed: true }).hidden, 0);
});

test('columns that do not fit collapse into an overflow lane marked +N; their arrows end there', () => {
  const msgs = chain(6);
  const layout = layoutFlow(msgs, 80, NORMAL);
  const [titles, rule] = flowHeader(layout).map(plain);
  assert.match(titles!, /\+3/);
  assert.equal(Array.from(rule!)[layout.overflowX], '┊');
  // INVITE from the 3rd (visible) to the 4th (hidden) address ends at the lane.
  const hop = msgs.findIndex((m) => m.src === addr(2) && m.label === 'INVITE');
  assert.equal(lifelineOf(layout, msgs[hop]!.dst), layout.overflowX);
  const arrow = cells(flowRows(layout, msgs, hop, 1, ROWS)[1]!);
  assert.equal(arrow[layout.overflowX - 1]![0], '>');
  // A message between two hidden addresses still shows its label, beside the lane.
  const beyond = msgs.findIndex((m) => m.src === addr(4) && m.label === 'INVITE');
  assert.match(plain(flowRows(layout, msgs, beyond, 1, ROWS)[0]!), /INVITE \(SDP\) ┊/);
});

test('UTF-8 uses box drawing; --ascii uses only ASCII characters', () => {
  const msgs = chain(3);
  const utf = render(layoutFlow(msgs, 80, NORMAL), msgs).map(plain).join('\n');
  assert.match(utf, /│/);
  assert.match(utf, /─/);
  assert.match(utf, /┬/);
  const ascii = render(layoutFlow(msgs, 80, { ...NORMAL, ascii: true }), msgs).map(plain).join('\n');
  assert.match(ascii, /^[\x20-\x7e\n]*$/);
  assert.match(ascii, /\|-+>\|/);
  assert.match(ascii, /-+\+-+/);
});

test('an arrow goes from the source lifeline to the destination, label centred above it', () => {
  resetClock();
  const msgs = [msg(addr(0), addr(1), 'INVITE', { hasSdp: true }), msg(addr(1), addr(0), '180 Ringing')];
  const layout = layoutFlow(msgs, 80, NORMAL);
  const [a, b] = layout.columns.map((c) => c.x) as [number, number];
  const rows = flowRows(layout, msgs, 0, 2, ROWS);
  const [label0, line0, label1, line1] = rows.map(plain) as [string, string, string, string];
  assert.equal(label0.slice(0, 15), '22:13:20.000000');
  assert.equal(line0.slice(0, 15).trim(), '', 'the first message has no delta');
  assert.equal(line1.slice(0, 15), '      +0.250000');
  assert.equal(line0.slice(a, b + 1), `│${'─'.repeat(b - a - 2)}>│`);
  assert.equal(line1.slice(a, b + 1), `│<${'─'.repeat(b - a - 2)}│`);
  const at = label0.indexOf('INVITE (SDP)');
  assert.ok(Math.abs(at + 6 - (a + b) / 2) <= 1, 'label centred');
  assert.match(label1, /│ +180 Ringing +│/);
});

test('compressed mode: one column per host, label inside a one-row arrow', () => {
  resetClock();
  const msgs = [
    msg('10.0.0.1:5060', '10.0.0.2:5060', 'INVITE', { hasSdp: true }),
    msg('10.0.0.2:5060', '10.0.0.2:5080', 'INVITE'),
    msg('10.0.0.2:5080', '10.0.0.3:5060', 'INVITE'),
  ];
  const aliases = new Map([['10.0.0.3', 'gateway']]);
  const full = layoutFlow(msgs, 120, { ...NORMAL, aliases });
  assert.deepEqual(full.columns.map((c) => c.title), ['10.0.0.1:5060', '10.0.0.2:5060', '10.0.0.2:5080', 'gateway:5060']);
  const layout = layoutFlow(msgs, 120, { ...NORMAL, compressed: true, aliases });
  assert.deepEqual(layout.columns.map((c) => c.title), ['10.0.0.1', '10.0.0.2', 'gateway']);
  assert.ok(layout.spacing < full.spacing);
  const rows = flowRows(layout, msgs, 0, 3, ROWS).map(plain);
  assert.equal(rows.length, 3);
  assert.match(rows[0]!, /^22:13:20\.\d{6} +│─+ INVITE \(SDP\) ─+>│/);
  assert.match(rows[1]!, /│<┘ INVITE/, 'port to port on one host loops back to its column');
});

test('retransmissions are dim-styled, drawn with triple heads and labelled when there is room', () => {
  const msgs = [msg(addr(0), addr(1), 'INVITE', { hasSdp: true }), msg(addr(0), addr(1), 'INVITE', { hasSdp: true, retrans: true })];
  const layout = layoutFlow(msgs, 80, NORMAL);
  const rows = flowRows(layout, msgs, 0, 2, ROWS);
  assert.doesNotMatch(plain(rows[0]!), /retrans/);
  assert.match(plain(rows[2]!), /INVITE \(SDP\) \(retrans\)/);
  assert.match(plain(rows[3]!), /─>>>│/);
  assert.ok(rows[2]!.some((s) => s.style === 'retrans' && s.text.includes('INVITE')));
  assert.ok(rows[3]!.some((s) => s.style === 'retrans' && s.text.includes('>>>')));
  // Narrow columns: the label stays, the heads still say "retransmission".
  const narrow = layoutFlow(msgs, 50, NORMAL);
  const tight = flowRows(narrow, msgs, 1, 1, ROWS).map(plain);
  assert.doesNotMatch(tight[0]!, /retrans/);
  assert.match(tight[1]!, />>>/);
});

test('rendering a window gives the same rows as the same part of a full render', () => {
  const msgs = chain(6);
  for (const opts of [NORMAL, { ...NORMAL, compressed: true }, { ...NORMAL, ascii: true }]) {
    for (const width of [80, 160]) {
      const layout = layoutFlow(msgs, width, opts);
      const rowOpts: FlowRowsOptions = { selected: 5, colorBy: 'cseq', marked: [4, 6] };
      const full = flowRows(layout, msgs, 0, msgs.length, rowOpts);
      const rpm = layout.rowsPerMessage;
      assert.deepEqual(flowRows(layout, msgs, 3, 5, rowOpts), full.slice(3 * rpm, 8 * rpm));
      assert.deepEqual(flowRows(layout, msgs, msgs.length - 2, 10, rowOpts), full.slice((msgs.length - 2) * rpm));
    }
  }
});

test('the selected message is highlighted; messages marked for compare get a double line', () => {
  resetClock();
  const msgs = chain(2);
  const layout = layoutFlow(msgs, 80, NORMAL);
  const rows = flowRows(layout, msgs, 0, 2, { selected: 0, colorBy: 'type', marked: [1] });
  assert.ok(rows[0]!.some((s) => s.style === 'cursor' && s.text.includes('INVITE')));
  assert.ok(rows[0]!.some((s) => s.style === 'cursor' && s.text.startsWith('22:13:20')));
  assert.ok(rows[1]!.some((s) => s.style === 'cursor' && s.text.includes('─')));
  assert.match(plain(rows[3]!), /<═+│/);
  assert.ok(rows[2]!.some((s) => s.style === 'selected' && s.text.startsWith('22:13:20')));
});

test('colour by request/response class, by CSeq, or by dialog', () => {
  const msgs = [
    msg(addr(0), addr(1), 'INVITE', { cseq: 1 }),
    msg(addr(1), addr(0), '180 Ringing', { cseq: 1 }),
    msg(addr(1), addr(0), '486 Busy Here', { cseq: 1 }),
    msg(addr(0), addr(1), 'BYE', { cseq: 2, dialog: dialogId(7) }),
  ];
  const layout = layoutFlow(msgs, 80, NORMAL);
  const labelStyle = (colorBy: FlowRowsOptions['colorBy'], i: number): Style =>
    flowRows(layout, msgs, i, 1, { selected: -1, colorBy })[0]!.find((s) => /[A-Z]{3}|\d{3}/.test(s.text) && !s.text.startsWith('22'))!.style;
  assert.deepEqual([0, 1, 2, 3].map((i) => labelStyle('type', i)), ['request', 'response1xx', 'response4xx', 'request']);
  const byCseq = [0, 1, 2, 3].map((i) => labelStyle('cseq', i));
  assert.equal(new Set(byCseq.slice(0, 3)).size, 1);
  assert.notEqual(byCseq[3], byCseq[0]);
  const byDialog = [0, 3].map((i) => labelStyle('dialog', i));
  assert.notEqual(byDialog[0], byDialog[1]);
});

test('aliases with emoji and CJK display names keep the header aligned to the cell', () => {
  const msgs = [msg(addr(0), addr(1), 'INVITE'), msg(addr(1), addr(2), 'INVITE')];
  const aliases = new Map([[addr(0), '📞 Alice'], [addr(1), '山田太郎のとても長い電話機の名前'], ['10.0.2.3', 'Bob😀']]);
  const layout = layoutFlow(msgs, 80, { ...NORMAL, aliases });
  assert.deepEqual(layout.columns.map((c) => c.title), ['📞 Alice', '山田太郎のとても長い電話機の名前', 'Bob😀:5060']);
  const lines = render(layout, msgs);
  for (const line of lines) assert.equal(lineWidth(line), 80);
  const titles = cells(lines[0]!);
  assert.equal(titles.length, 80);
  const title = plain(lines[0]!);
  assert.match(title, /📞 Alice/);
  assert.match(title, /山田太郎.*…/);
  // Lifelines below stay exactly under the tees even with wide characters in the titles.
  const rule = cells(lines[1]!);
  const row = cells(lines[2]!);
  for (const col of layout.columns) {
    assert.equal(rule[col.x]![0], '┬');
    assert.equal(row[col.x]![0], '│');
  }
});

test('times are HH:MM:SS.uuuuuu in the given zone; deltas +S.uuuuuu', () => {
  assert.equal(formatClock(T0), '22:13:20.000000');
  assert.equal(formatClock(T0 + 123_456_789n, 120), '00:13:20.123456');
  assert.equal(formatClock(0n, -60), '23:00:00.000000');
  assert.equal(formatDelta(T0, T0 + 1_500_000_000n), '+1.500000');
  assert.equal(formatDelta(T0 + 2_000n, T0), '-0.000002');
});

test('flowMessageFrom labels responses with their reason; mergeFlows orders dialogs by time', () => {
  const base: SipMessage = {
    id: messageId(4), dialog: dialogId(1), frame: 9, ts: T0, src: '2001:db8::1', sport: 5060, dst: '10.0.0.2', dport: 5062, transport: 'UDP',
    method: '', status: 200, cseq: 3, cseqMethod: 'INVITE', hasSdp: true, retrans: false, ref: { inFile: true, offset: 0, length: 10 },
  };
  const ok = flowMessageFrom(base, viewOf('SIP/2.0 200 OK\r\n\r\n').start);
  assert.equal(ok.label, '200 OK');
  assert.equal(ok.src, '[2001:db8::1]:5060');
  assert.equal(ok.dst, '10.0.0.2:5062');
  assert.equal(ok.request, false);
  assert.equal(flowMessageFrom({ ...base, method: 'INVITE', status: 0 }, viewOf('INVITE sip:a@b SIP/2.0\r\n\r\n').start).label, 'INVITE');
  assert.equal(flowMessageFrom(base).label, '200');
  const a = [msg(addr(0), addr(1), 'INVITE', { ts: T0 + 10n, dialog: dialogId(1) }), msg(addr(1), addr(0), '200 OK', { ts: T0 + 30n, dialog: dialogId(1) })];
  const b = [msg(addr(1), addr(2), 'INVITE', { ts: T0 + 20n, dialog: dialogId(2) })];
  assert.deepEqual(mergeFlows([a, b]).map((m) => m.ts - T0), [10n, 20n, 30n]);
  // The merged ladder has a column per address of both dialogs.
  assert.equal(layoutFlow(mergeFlows([a, b]), 120, NORMAL).columns.length, 3);
});
