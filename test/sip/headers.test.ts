import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHeaderName, isMultiValue, splitHeaderList } from '../../src/sip/headers.js';

test('compact forms and canonical spellings', () => {
  const pairs: [string, string][] = [
    ['i', 'Call-ID'], ['I', 'Call-ID'], ['call-id', 'Call-ID'], ['CSEQ', 'CSeq'], ['f', 'From'], ['t', 'To'],
    ['v', 'Via'], ['m', 'Contact'], ['l', 'Content-Length'], ['c', 'Content-Type'], ['k', 'Supported'],
    ['s', 'Subject'], ['o', 'Event'], ['u', 'Allow-Events'], ['r', 'Refer-To'], ['b', 'Referred-By'],
    ['x', 'Session-Expires'], ['y', 'Identity'], ['a', 'Accept-Contact'], ['e', 'Content-Encoding'],
    ['www-authenticate', 'WWW-Authenticate'], ['x-cid', 'X-CID'], ['X-Custom', 'X-Custom'],
  ];
  for (const [raw, canonical] of pairs) assert.equal(canonicalHeaderName(raw), canonical, raw);
});

test('list headers split outside quotes and angle brackets only', () => {
  assert.equal(isMultiValue('Via'), true);
  assert.equal(isMultiValue('Authorization'), false);
  assert.deepEqual(splitHeaderList('"Doe, John" <sip:j@x;a=1,2>, tel:+1 ,  , "q\\"," <sip:q@x>'),
    ['"Doe, John" <sip:j@x;a=1,2>', 'tel:+1', '"q\\"," <sip:q@x>']);
});
