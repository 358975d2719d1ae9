import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advanceCall, type CallFacts, type CallProgress } from '../../src/sip/call-state.js';

const req = (method: string, cseq: number): CallFacts => ({ method, status: 0, cseq, cseqMethod: method });
const res = (status: number, cseq: number, cseqMethod = 'INVITE'): CallFacts => ({ method: '', status, cseq, cseqMethod });

function run(...msgs: CallFacts[]): string[] {
  const p: CallProgress = { state: '', inviteCseq: 0 };
  return msgs.map((m) => (advanceCall(p, m), p.state));
}

test('answered and completed call', () => {
  assert.deepEqual(run(req('INVITE', 1), res(100, 1), res(180, 1), res(200, 1), req('ACK', 1), req('BYE', 2), res(200, 2, 'BYE')),
    ['CALL SETUP', 'CALL SETUP', 'CALL SETUP', 'IN CALL', 'IN CALL', 'COMPLETED', 'COMPLETED']);
});

test('ACK of the INVITE brings the call up even when the 200 was not captured (sngrep)', () => {
  assert.deepEqual(run(req('INVITE', 5), req('ACK', 5)), ['CALL SETUP', 'IN CALL']);
});

test('re-INVITE does not reset an established call', () => {
  assert.deepEqual(run(req('INVITE', 1), res(200, 1), req('INVITE', 2), res(200, 2), res(491, 2)).at(-1), 'IN CALL');
});

test('cancelled, busy, rejected, diverted', () => {
  assert.equal(run(req('INVITE', 1), res(180, 1), req('CANCEL', 1)).at(-1), 'CANCELLED');
  assert.equal(run(req('INVITE', 1), res(486, 1)).at(-1), 'BUSY');
  assert.equal(run(req('INVITE', 1), res(600, 1)).at(-1), 'BUSY');
  assert.equal(run(req('INVITE', 1), res(480, 1)).at(-1), 'BUSY');
  assert.equal(run(req('INVITE', 1), res(404, 1)).at(-1), 'REJECTED');
  assert.equal(run(req('INVITE', 1), res(302, 1)).at(-1), 'DIVERTED');
  // A failure answering something else during setup (a PRACK) does not reject the call.
  assert.equal(run(req('INVITE', 1), req('PRACK', 2), res(481, 2, 'PRACK')).at(-1), 'CALL SETUP');
});

test('authentication challenge then retried INVITE starts the setup again', () => {
  assert.deepEqual(run(req('INVITE', 1), res(407, 1), req('ACK', 1), req('INVITE', 2), res(200, 2)),
    ['CALL SETUP', 'REJECTED', 'REJECTED', 'CALL SETUP', 'IN CALL']);
});

test('non-INVITE dialogs have no state; a step says whether the state changed', () => {
  assert.deepEqual(run(req('REGISTER', 1), res(200, 1, 'REGISTER')), ['', '']);
  const p: CallProgress = { state: '', inviteCseq: 0 };
  assert.equal(advanceCall(p, req('INVITE', 7)), true);
  assert.deepEqual(p, { state: 'CALL SETUP', inviteCseq: 7 });
  assert.equal(advanceCall(p, res(100, 7)), false);
});
