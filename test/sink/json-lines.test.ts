// A dialog line is written field by field: it must be the very bytes safeJson gives for the line's
// object, whatever the strings hold (quotes, backslashes, C0, DEL, C1, bidi controls, line
// separators, BOM, non-ASCII, astral and lone surrogates), with findings, HEP nodes and logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog } from '../../src/model/sip.js';
import type { DialogId } from '../../src/model/ids.js';
import type { Finding } from '../../src/model/finding.js';
import { IsoMicros, JsonLines } from '../../src/sink/json.js';
import { safeJson, safeJsonText } from '../../src/sink/unsafe-text.js';

const TRICKY = ['', 'plain@host', 'say "hi"', 'back\\slash', 'tab\there', 'nl\r\n', '\u0000\u001f', 'del\u007f', 'c1\u0085\u009f',
  'bidi\u202e\u2066\u200f\u061c', 'sep\u2028\u2029', 'bom\ufeff', 'Jürgen', '電話', '😀', 'lone\ud800', '\udc00x', '</script>',
  // Longer than a line's first buffer, plain and not.
  'x'.repeat(5000), `${'é'.repeat(3000)}\u0001`];

function dialog(s: string, n: number): Dialog {
  return {
    id: n as DialogId, callId: `${s}@c`, method: 'INVITE', fromUser: s, fromHost: `h${s}`, fromDisplay: '', toUser: 'bob', toHost: s,
    toDisplay: '', ruri: '', src: '10.0.0.1:5060', dst: `[::1]:${n}`, transport: 'UDP', start: 1_700_000_000_123_456_789n,
    end: 1_700_000_002_000_000_001n, state: 'COMPLETED', xCallId: s, userAgent: '', reason: '', nodes: n % 2 ? [s, 'n2'] : [],
    findings: undefined, messages: [], messageCount: n,
  };
}

test('a dialog line is the bytes safeJson writes for its object', () => {
  const time = new IsoMicros();
  TRICKY.forEach((s, n) => {
    const d = dialog(s, n);
    const findings: Finding[] = n % 3 ? [] : [{ code: 'busy', severity: 'info', text: `486 ${s}` }, { code: s, severity: 'error', text: s }];
    const logs = n % 4 ? [] : [{ ts: d.start, node: s, text: `log ${s}` }];
    const expected = safeJson({
      type: 'dialog', callId: d.callId, method: d.method, from: d.fromUser, fromHost: d.fromHost, to: d.toUser, toHost: d.toHost,
      src: d.src, dst: d.dst, msgs: d.messageCount, state: d.state, start: time.format(d.start), end: time.format(d.end), xcallid: d.xCallId,
      findings: findings.map((f) => ({ code: f.code, severity: f.severity, text: f.text })),
      ...(n % 2 === 1 && { nodes: d.nodes }),
      ...(logs.length > 0 && { logs: logs.map((l) => ({ time: time.format(l.ts), node: l.node, text: l.text })) }),
    });
    assert.equal(new JsonLines().dialog(d, findings, logs), expected, JSON.stringify(s));
  });
});

test('safeJsonText is what safeJson writes between the quotes', () => {
  for (const s of TRICKY) assert.equal(`"${safeJsonText(s)}"`, safeJson(s), JSON.stringify(s));
  for (let cp = 0; cp < 0x10000; cp++) {
    const s = `a${String.fromCharCode(cp)}b`;
    assert.equal(`"${safeJsonText(s)}"`, safeJson(s), cp.toString(16));
  }
});
