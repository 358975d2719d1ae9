// -c keeps calls: a Call-ID that begins with REGISTER or OPTIONS and later carries an INVITE is kept
// from that INVITE on, as `sngrep -c` does; what came before the INVITE stays out.
import { held } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { udpDatagram } from '../support/datagram.js';
import { Store } from '../../src/store/store.js';
import { invite, request, response } from '../sip/fixtures.js';

const dg = udpDatagram;

for (const first of ['OPTIONS', 'REGISTER']) {
  test(`-c: a Call-ID that starts with ${first} is kept from its INVITE on`, () => {
    const store = new Store({ invitesOnly: true });
    store.addDatagram(dg(request(first, 'shared@h', 1)));
    store.addDatagram(dg(response('200 OK', 'shared@h', `1 ${first}`)));
    assert.equal(store.dialogCount(), 0);
    store.addDatagram(dg(invite('shared@h')));
    store.addDatagram(dg(response('200 OK', 'shared@h')));
    store.addDatagram(dg(request('ACK', 'shared@h', 314159)));
    assert.equal(store.dialogCount(), 1);
    const call = held(store, 0);
    assert.equal(call.method, 'INVITE');
    assert.equal(call.messages.length, 3, 'INVITE, 200 OK, ACK');
    assert.equal(call.state, 'IN CALL');
    assert.equal(store.stats().skipped['dialog-not-invite'], 2);
  });
}

test('-c still leaves out Call-IDs that never carry an INVITE', () => {
  const store = new Store({ invitesOnly: true });
  store.addDatagram(dg(request('REGISTER', 'reg@h', 1)));
  store.addDatagram(dg(response('200 OK', 'reg@h', '1 REGISTER')));
  assert.equal(store.dialogCount(), 0);
});
