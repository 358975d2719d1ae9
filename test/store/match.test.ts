import { held, messageId } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/model/errors.js';
import { compileMatch } from '../../src/store/filter-match.js';
import { loadCapture } from './filter-captures.js';

const invite = Buffer.from('INVITE sip:bob@example.com SIP/2.0\r\nFrom: <sip:Alice@example.com>\r\nCall-ID: 1\r\n\r\n');

test('compileMatch: regular expression on the payload, -i and -v', () => {
  assert.equal(compileMatch('^INVITE', { ignoreCase: false, invert: false })(invite), true);
  assert.equal(compileMatch('^From:.*alice', { ignoreCase: false, invert: false })(invite), false);
  assert.equal(compileMatch('^From:.*alice', { ignoreCase: true, invert: false })(invite), true);
  assert.equal(compileMatch('^From:.*alice', { ignoreCase: true, invert: true })(invite), false);
  assert.equal(compileMatch('REGISTER', { ignoreCase: false, invert: true })(invite), true);
  assert.throws(() => compileMatch('(', { ignoreCase: false, invert: false }), (e: unknown) => e instanceof InputError && /invalid match expression '\('/.test(e.message));
});

test('the store opens only dialogs whose first message matches (sngrep semantics), counting the rest', async () => {
  const all = await loadCapture('sipnab/b2bua-asterisk.pcapng');
  const invites = await loadCapture('sipnab/b2bua-asterisk.pcapng', { match: compileMatch('^invite ', { ignoreCase: true, invert: false }) });
  const others = await loadCapture('sipnab/b2bua-asterisk.pcapng', { match: compileMatch('^INVITE ', { ignoreCase: false, invert: true }) });
  const allInvites = [...Array(all.dialogCount()).keys()].filter((i) => held(all, i).method === 'INVITE').length;
  assert.ok(allInvites > 0);
  assert.ok(invites.dialogCount() >= allInvites);
  // A refused message does not block its Call-ID: a later matching message may still open the dialog.
  assert.ok(invites.dialogCount() + others.dialogCount() >= all.dialogCount());
  for (let i = 0; i < others.dialogCount(); i++) assert.notEqual(others.messageBytes(messageId(held(others, i).messages[0]!)).subarray(0, 7).toString(), 'INVITE ');
  for (let i = 0; i < invites.dialogCount(); i++) assert.equal(held(invites, i).method, 'INVITE');
  assert.ok((invites.stats().skipped['match-expression'] ?? 0) > 0);
  // Later messages of a matching dialog join it whatever they contain.
  const d = held(invites, 0);
  assert.equal(d.messages.length, held(all, [...Array(all.dialogCount()).keys()].find((i) => held(all, i).callId === d.callId)!).messages.length);
});
