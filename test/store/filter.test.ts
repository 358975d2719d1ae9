import { held } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, displayFilter, filterDialogs, isFilterError, type DialogFilter } from '../../src/store/filter.js';
import type { Store } from '../../src/store/store.js';
import { loadCapture } from './filter-captures.js';
import { addCalls, realStore } from '../bench/real-store.js';

function compiled(expr: string): DialogFilter {
  const f = compileFilter(expr);
  if (isFilterError(f)) assert.fail(`${expr}: ${f.message} at ${f.position}`);
  return f;
}

/** Call-IDs of the dialogs passing expr. */
function callIds(store: Store, expr: string): string[] {
  return [...filterDialogs(store, compiled(expr))].map((i) => held(store, i).callId);
}

function count(store: Store, expr: string): number {
  return filterDialogs(store, compiled(expr)).length;
}

test('numbers: From / To / Request-URI users by prefix and exactly, normalised (wswiki/1filtered.cap)', async () => {
  const s = await loadCapture('wswiki/1filtered.cap');
  assert.equal(s.dialogCount(), 2);
  assert.equal(count(s, 'srcnum 1208'), 2);
  assert.equal(count(s, 'srcnum=1208'), 0);
  assert.equal(count(s, 'srcnum=12086212025'), 2);
  assert.equal(count(s, 'srcnum = "+1 (208) 621-2025"'), 2);
  assert.equal(count(s, 'srcnum=tel:+1-208-621-2025'), 2);
  assert.equal(count(s, 'srcnum "sip:12086212025@174.132.174.114"'), 2);
  assert.deepEqual(callIds(s, 'dstnum=13107368777'), callIds(s, 'dstnum 1310'));
  assert.equal(count(s, 'dstnum 1310'), 1);
  assert.equal(count(s, 'dstnum 1818 or dstnum 1310'), 2);
  assert.equal(count(s, 'telnum 1818'), 1);
  assert.equal(count(s, 'telnum 1208'), 2);
  assert.equal(count(s, 'dstnum 1208'), 0);
  assert.equal(count(s, 'not dstnum 1818'), 1);
});

test('Diversion users of any message and has diversion (wswiki/fax-iz-InLife-G711.cap)', async () => {
  const s = await loadCapture('wswiki/fax-iz-InLife-G711.cap');
  assert.equal(s.dialogCount(), 21);
  assert.equal(count(s, 'has diversion'), 1);
  assert.equal(count(s, 'has Diversion and diversion 386155'), 1);
  assert.equal(count(s, 'diversion=38615500003'), 1);
  assert.equal(count(s, 'diversion=3861550000'), 0);
  assert.equal(count(s, 'not has diversion'), 20);
});

test('P-Asserted-Identity and P-Preferred-Identity, tel: URIs (heplify/sip_sctp.pcap, wswiki/nb6-telephone.pcap)', async () => {
  const sctp = await loadCapture('heplify/sip_sctp.pcap');
  assert.equal(count(sctp, 'pai=9171969136'), 1);
  assert.equal(count(sctp, 'has pai and has p-asserted-identity'), 1);
  const nb6 = await loadCapture('wswiki/nb6-telephone.pcap');
  assert.equal(count(nb6, 'ppi=33360653674'), 1);
  assert.equal(count(nb6, 'ppi "+33 3 60 65 36 74"'), 1);
  assert.equal(count(nb6, 'srcnum=+33360653674 and dstnum=147'), 1);
  assert.equal(count(nb6, 'has pai'), 0);
  const gtp = await loadCapture('arkime/gtp-iphone.pcap');
  assert.equal(count(gtp, 'ppi=88270006'), count(gtp, 'has ppi'));
  assert.ok(count(gtp, 'has ppi') >= 1);
});

test('PAI of any message of the dialog, with and / or / parentheses (voipshark SRTP call)', async () => {
  const s = await loadCapture('voipshark/SIP-SRTP-Normal_Call_two_parties.pcap');
  const pai2222 = count(s, 'pai 2222');
  assert.ok(pai2222 >= 1);
  assert.equal(count(s, 'pai 2222 or pai 1111'), count(s, 'has pai'));
  assert.equal(count(s, '(pai 2222 or pai 1111) and method=INVITE'), count(s, 'has pai and method invite'));
  assert.equal(count(s, 'not (has pai) and has pai'), 0);
  assert.equal(count(s, '!has pai or has pai'), s.dialogCount());
});

test('CIDR on IPv4 and IPv6, any message of the dialog (sngrep/ipv6frag.pcap, heplify erspan)', async () => {
  const v6 = await loadCapture('sngrep/ipv6frag.pcap');
  assert.equal(count(v6, 'ip fd17:625c:f037:2::/64'), 1);
  assert.equal(count(v6, 'srcip=fd17:625c:f037:2:a00:27ff:feb9:3519'), 1);
  assert.equal(count(v6, 'ip 10.0.0.0/8'), 0);
  assert.equal(count(v6, 'ip fd17::/16 and pai 0801'), 1);
  const gre = await loadCapture('heplify/erspan_sip_ipv4_udp.pcapng');
  const all = gre.dialogCount();
  assert.equal(count(gre, 'ip 0.0.0.0/0'), all);
  assert.equal(count(gre, 'ip 192.168.1.191/32') + count(gre, 'not ip 192.168.1.191'), all);
  assert.ok(count(gre, 'dstip 101.231.48.0/24') > 0);
  assert.equal(count(gre, 'pai 20008910'), count(gre, 'pai=20008910'));
});

test('method, state, callid, ua, from/to, src/dst and payload', async () => {
  const s = await loadCapture('sipnab/b2bua-asterisk.pcapng');
  const n = s.dialogCount();
  assert.equal(count(s, 'method INVITE') + count(s, 'not method=invite'), n);
  assert.equal(count(s, 'state "in call" or state IN_CALL'), count(s, 'state=in_call'));
  const d = held(s, 0);
  assert.deepEqual(callIds(s, `callid=${JSON.stringify(d.callId)}`), [d.callId]);
  assert.ok(count(s, `callid ${JSON.stringify(d.callId.slice(1, 6).toUpperCase())}`) >= 1);
  assert.equal(count(s, 'ua zoiper') + count(s, 'not ua zoiper'), n);
  assert.ok(count(s, `src ${JSON.stringify(d.src)}`) >= 1);
  assert.ok(count(s, `from ${JSON.stringify(d.fromUser)}`) >= 1);
  assert.ok(count(s, 'payload "asterisk"') >= 1);
  assert.equal(count(s, 'payload "no such text in any packet"'), 0);
});

test('errors say what and where, for the prompt to point at', () => {
  const cases: [string, string, number][] = [
    ['dstnum', 'value expected', 6],
    ['foo 1', "unknown field 'foo'", 0],
    ['dstnum 1 and', 'condition expected', 12],
    ['(dstnum 1', "')' expected", 9],
    ['dstnum 1)', "unbalanced ')'", 8],
    ['dstnum 1 srcnum 2', "expected 'and' or 'or'", 9],
    ['ip 10.0.0.300', 'not an IP address', 0],
    ['ip 10.0.0.0/33', 'bad prefix length', 0],
    ['srcnum 1 and state ringing', "unknown call state 'ringing'", 13],
    ['from "alice', 'unterminated quote', 5],
  ];
  for (const [expr, message, position] of cases) {
    const f = compileFilter(expr);
    assert.ok(isFilterError(f), expr);
    assert.match(f.message, new RegExp(message.replace(/[()]/g, '\\$&')), expr);
    assert.equal(f.position, position, expr);
  }
  assert.equal(compiled('  ').text, '');
  assert.equal(compiled('DSTNUM=1 AND HAS Diversion').text, 'DSTNUM=1 AND HAS Diversion');
});

test('displayFilter: the F7 form as an expression', async () => {
  const s = await loadCapture('sipnab/b2bua-asterisk.pcapng');
  const f = displayFilter({ from: 'a"b', methods: ['INVITE', 'SUBSCRIBE'] });
  assert.equal(f.text, 'from "a\\"b" and (method="INVITE" or method="SUBSCRIBE")');
  assert.equal(filterDialogs(s, displayFilter({})).length, s.dialogCount());
  assert.equal(
    filterDialogs(s, displayFilter({ methods: ['INVITE', 'SUBSCRIBE'] })).length,
    count(s, 'method invite or method subscribe'),
  );
});

test('filterDialogs over a range, for live appends', async () => {
  const s = await loadCapture('wswiki/fax-iz-InLife-G711.cap');
  const f = compiled('method INVITE');
  const whole = [...filterDialogs(s, f)];
  const parts = [...filterDialogs(s, f, 0, 10), ...filterDialogs(s, f, 10)];
  assert.deepEqual(parts, whole);
});

test('an expression asked again of an unchanged store gives its last answer; a new dialog makes a new one', () => {
  const s = realStore(3000);
  const f = compiled('method INVITE and src 192.168.1.');
  const first = filterDialogs(s, f);
  assert.equal(first.length, 256);
  assert.equal(filterDialogs(s, f), first, 'the prompt counted it; Enter applies it');
  assert.notEqual(filterDialogs(s, f, 1), first, 'another range is another answer');
  addCalls(s, 3000, 3001);
  assert.deepEqual([...filterDialogs(s, f)], [...first, 3000].filter((id) => ((id >> 8) & 255) === 1));
});
