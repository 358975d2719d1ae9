import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNameAddr, parseUri, uriUser } from '../../src/sip/uri.js';

test('name-addr with quoted display name and escapes', () => {
  const na = parseNameAddr('"Alice \\"Al\\" A." <sip:alice@atlanta.example.com;transport=tcp>;tag=1928301774;x');
  assert.equal(na.display, 'Alice "Al" A.');
  assert.equal(na.uri, 'sip:alice@atlanta.example.com;transport=tcp');
  assert.deepEqual(na.params, { tag: '1928301774', x: '' });
});

test('name-addr with token display name, and the literal backslash-quotes of sip_compact_form', () => {
  assert.equal(parseNameAddr('Bob <sip:bob@b>').display, 'Bob');
  const odd = parseNameAddr('\\"arik\\" <sip:816666@voip.brurjula.net>;tag=6433ef9');
  assert.equal(odd.display, '\\"arik\\"');
  assert.equal(uriUser('\\"arik\\" <sip:816666@voip.brurjula.net>;tag=6433ef9'), '816666');
});

test('addr-spec: parameters after the URI belong to the header', () => {
  const na = parseNameAddr('sip:carol@chicago.example.com;tag=887s');
  assert.equal(na.display, '');
  assert.equal(na.uri, 'sip:carol@chicago.example.com');
  assert.deepEqual(na.params, { tag: '887s' });
});

test('URI user parts of sip, sips and tel; host, port, params', () => {
  assert.deepEqual(parseUri('sip:alice:secret@[2001:db8::1]:5070;transport=TCP?subject=x'), {
    scheme: 'sip', user: 'alice', host: '[2001:db8::1]', port: 5070, params: { transport: 'TCP' },
  });
  assert.equal(parseUri('SIPS:bob@example.com').user, 'bob');
  assert.equal(parseUri('sip:example.com:5060').user, '');
  assert.equal(parseUri('sip:example.com:5060').port, 5060);
  assert.equal(parseUri('tel:+1-201-555-0123;phone-context=example.com').user, '+1-201-555-0123');
  assert.equal(parseUri('').user, '');
  assert.equal(uriUser('<sip:97239287044@voip.brujula.net>'), '97239287044');
});
