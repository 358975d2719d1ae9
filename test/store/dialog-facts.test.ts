import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DialogFactsTable, MAX_FACT_LINES } from '../../src/store/dialog-facts.js';
import { headerNameKey, scanSip, type HeaderNames } from '../../src/sip/message.js';

function message(headers: string[]): { buf: Buffer; names: HeaderNames } {
  const buf = Buffer.from(['INVITE sip:b@h SIP/2.0', 'Call-ID: c1', 'CSeq: 1 INVITE', 'From: <sip:a@h>;tag=1', 'To: <sip:b@h>', ...headers, '', ''].join('\r\n'), 'utf8');
  const names: HeaderNames = { mask: 0, others: [], identities: [] };
  assert.equal(typeof scanSip(buf, names), 'object');
  return { buf, names };
}

const exact = (want: string) => (raw: string, start: number, end: number): boolean => raw.slice(start, end) === want;

test('facts gather over a dialog\'s messages, each kept once, ASCII and UTF-8 users alike', () => {
  const t = new DialogFactsTable();
  t.open(0);
  const first = message(['P-Asserted-Identity: "A" <sip:+1555@h>, <tel:+1666>', 'X-Foo: 1']);
  assert.equal(t.note(0, first.buf, first.names), true);
  // The same facts again change nothing; a new header and a UTF-8 user join.
  assert.equal(t.note(0, first.buf, first.names), true);
  const second = message(['P-Asserted-Identity: <sip:+1555@h>', 'Diversion: <sip:jürgen@h>;reason=busy', 'X-Bar: 2', 'X-Foo: 3']);
  assert.equal(t.note(0, second.buf, second.names), true);
  const third = message(['Diversion: <sip:jürgen@h>', 'P-Preferred-Identity: <sip:zoë@h>', 'X-Foo: 4']);
  assert.equal(t.note(0, third.buf, third.names), true);
  for (const [kind, user] of [['pai', '+1555'], ['pai', '+1666'], ['diversion', 'jürgen'], ['ppi', 'zoë']] as const) {
    assert.equal(t.identityMatches(0, kind, exact(user)), true, `${kind} ${user}`);
  }
  assert.equal(t.identityMatches(0, 'ppi', exact('+1555')), false);
  for (const name of ['X-Foo', 'X-Bar']) assert.equal(t.hasOtherHeader(0, headerNameKey(name).hash), true, name);
  assert.equal(t.hasOtherHeader(0, headerNameKey('X-Baz').hash), false);
});

test('a dialog keeps at most MAX_FACT_LINES facts and says when it left some out', () => {
  const t = new DialogFactsTable();
  t.open(0);
  let complete = true;
  for (let k = 0; k < MAX_FACT_LINES + 4 && complete; k += 4) {
    const m = message([`P-Asserted-Identity: <sip:u${k}@h>, <sip:u${k + 1}@h>, <sip:u${k + 2}@h>, <sip:u${k + 3}@h>`]);
    complete = t.note(0, m.buf, m.names);
  }
  assert.equal(complete, false);
  assert.equal(t.identityMatches(0, 'pai', exact(`u${MAX_FACT_LINES - 1}`)), true);
  assert.equal(t.identityMatches(0, 'pai', exact(`u${MAX_FACT_LINES}`)), false);
});
