import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAddress, type AddressParts } from '../../src/sip/address-bytes.js';
import { parseNameAddr, parseUri } from '../../src/sip/uri.js';

/** What the string parse gives for the same value (the store's fallback). */
function byStrings(value: string): AddressParts {
  const na = parseNameAddr(value, false);
  const uri = parseUri(na.uri, false);
  return { display: na.display, user: uri.user, host: uri.host };
}

function byBytes(value: string): AddressParts | undefined {
  const buf = Buffer.from(`X${value}Y`, 'latin1');
  const out: AddressParts = { display: '?', user: '?', host: '?' };
  return readAddress(buf, 1, buf.length - 1, out) ? { ...out } : undefined;
}

test('plain From / To values read from the bytes as the string parse reads them', () => {
  const values = [
    '"Alice Smith" <sip:alice@example.com>;tag=1928301774',
    'Bob <sips:bob:secret@[2001:db8::1]:5061;transport=tls>;tag=a6c85cf',
    '<sip:+15551234@10.0.0.1:5060;user=phone>',
    'sip:carol@chicago.example.com;tag=887s',
    '<tel:+1-212-555-0101;phone-context=x>',
    'TEL:+4930123',
    '"unclosed <sip:a@b>',
    '  <SIP:Dave@Host.Example>  ',
    '<mailto:x@y>',
    'anonymous',
    '',
    '<sip:@host>',
    '<sip:user@host:notaport>',
    '<sip:user@[::1>',
    '"" <sip:x@y?subject=a;b>',
    'Display Name<sip:u@h',
    '"a" b <sip:c@d>',
    '\t"Tab"\t<sip:t@h>\t',
  ];
  for (const v of values) assert.deepEqual(byBytes(v), byStrings(v), v);
});

test('values that are not plain are left to the string parse', () => {
  for (const v of ['"Ren\\"e" <sip:r@h>', '"Zoë" <sip:z@h>', '<sip:a@b>\r\n ;tag=1', 'x\u0001y']) assert.equal(byBytes(v), undefined, v);
});

test('random values: whenever the bytes are read, they agree with the string parse', () => {
  const alphabet = ['"', '<', '>', ';', '?', '@', ':', '[', ']', ' ', '\t', 'sip', 'SIPS', 'tel', 'a', 'B', '1', '=', '.', '\\', 'é'];
  let seed = 17;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  let read = 0;
  for (let k = 0; k < 20000; k++) {
    let v = '';
    for (let n = next(16); n > 0; n--) v += alphabet[next(alphabet.length)];
    const got = byBytes(v);
    if (got === undefined) continue;
    read++;
    assert.deepEqual(got, byStrings(v), JSON.stringify(v));
  }
  assert.ok(read > 10000, `read ${read}`);
});
