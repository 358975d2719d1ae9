import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, basicCall, codes, diagnose, sdp, type Call, type Msg, type Party } from './scenario.js';
import { FINDING_CODES } from '../../src/diagnose/registry.js';

const only = (calls: Call[]): string[] => codes(diagnose(calls)[0]);
const text = (calls: Call[], code: string): string => diagnose(calls)[0].find((f) => f.code === code)?.text ?? '';

/** `line` sent at each time in `at` (ms): a retransmission, byte for byte. */
function resent(at: number[], m: Omit<Msg, 'at'>): Msg[] {
  return at.map((t) => ({ ...m, at: t }));
}
const TIMER_A = [0, 500, 1500, 3500, 7500, 15500, 31500];

function failing(status: number, headers: string[] = [], from: Party = BOB): Call {
  return {
    callId: `fail-${status}`,
    msgs: [
      { at: 0, from: ALICE, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0 8') },
      { at: 10, from, to: ALICE, line: '100 1 INVITE' },
      { at: 200, from, to: ALICE, line: `${status} 1 INVITE`, headers },
      { at: 210, from: ALICE, to: BOB, line: 'ACK 1' },
    ],
  };
}

test('an ordinary answered call has no findings', () => {
  assert.deepEqual(only([basicCall('ok')]), []);
});

test('every code in the registry is unique and described', () => {
  const seen = new Set<string>();
  for (const c of FINDING_CODES) {
    assert.ok(!seen.has(c.code), c.code);
    seen.add(c.code);
    assert.match(c.code, /^[a-z0-9-]+$/);
    assert.ok(c.description.length > 10, c.code);
  }
});

test('no-response: an INVITE sent 7 times over 32 s with nothing back', () => {
  const call = { callId: 'nr', msgs: resent(TIMER_A, { from: ALICE, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0') }) };
  assert.deepEqual(only([call]), ['error:no-response']);
  assert.equal(text([call], 'no-response'), 'INVITE to 4989654321 sent 7 times over 32 s with no response from 10.2.2.20:5060');
});

test('no-response is not claimed for one lone copy at the end of a capture', () => {
  assert.deepEqual(only([{ callId: 'lone', msgs: [{ at: 0, from: ALICE, to: BOB, line: 'OPTIONS 1' }] }]), []);
});

test('capture duplicates (the same packet twice within 20 ms) are not retransmissions', () => {
  const call = basicCall('dup');
  call.msgs.splice(1, 0, { ...call.msgs[0], at: 0.2 }, { ...call.msgs[0], at: 0.4 }, { ...call.msgs[0], at: 0.6 });
  assert.deepEqual(only([call]), []);
});

test('retransmissions: an INVITE resent 4 times before the 100 came', () => {
  const call = basicCall('rt');
  call.msgs = [...resent([0, 500, 1500, 3500, 7500], { ...call.msgs[0] }), ...call.msgs.slice(1).map((m) => ({ ...m, at: m.at + 7600 }))];
  assert.deepEqual(only([call]), ['warning:slow-setup', 'warning:retransmissions']);
  assert.match(text([call], 'retransmissions'), /INVITE to 10\.2\.2\.20:5060 retransmitted 4 times over 7\.5 s before 10\.2\.2\.20:5060 answered with 100/);
});

function noAckCall(byeAt: number): Call {
  const ok = { from: BOB, to: ALICE, line: '200 1 INVITE', sdp: sdp(BOB.ip, 5000, '0') };
  return {
    callId: `noack-${byeAt}`,
    msgs: [
      { at: 0, from: ALICE, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0') },
      { at: 10, from: BOB, to: ALICE, line: '180 1 INVITE' },
      ...resent([1000, 1500, 2500, 4500, 8500, 16500, 32500].filter((t) => t < byeAt), ok),
      { at: byeAt, from: BOB, to: ALICE, line: 'BYE 1' },
      { at: byeAt + 5, from: ALICE, to: BOB, line: '200 1 BYE' },
    ],
  };
}

test('dropped-after-32s: the callee hangs up 32 s after its unacknowledged 200 OK', () => {
  const call = noAckCall(33000);
  assert.deepEqual(only([call]), ['error:dropped-after-32s']);
  assert.match(text([call], 'dropped-after-32s'), /^BYE from 10\.2\.2\.20:5060 32 s after the 200 OK, sent 7 times, and no ACK seen: the ACK did not reach 10\.2\.2\.20:5060; the 200 OK's Contact is <sip:4989654321@10\.2\.2\.20:5060> \(a private address\)$/);
});

test('no-ack: a 200 OK retransmitted with no ACK and no BYE yet', () => {
  const call = noAckCall(120000);
  call.msgs = call.msgs.filter((m) => !m.line.includes('BYE'));
  assert.deepEqual(only([call]), ['error:no-ack']);
});

test('an unacknowledged 200 OK sent once (the ACK took another path) is no alarm', () => {
  const call = basicCall('ack-elsewhere');
  call.msgs = call.msgs.filter((m) => !m.line.startsWith('ACK'));
  assert.deepEqual(only([call]), []);
});

test('forbidden names the calling identities and their format', () => {
  const call = failing(403);
  call.msgs[0].headers = ['P-Asserted-Identity: <sip:0301234567@carrier.example>', 'Remote-Party-ID: <sip:*31#0301234567@x>;party=calling'];
  assert.deepEqual(only([call]), ['error:forbidden']);
  assert.equal(text([call], 'forbidden'), '403 Forbidden to INVITE from 10.2.2.20:5060; calling identities: From +4930123456 (E.164 with +), ' +
    'PAI 0301234567 (national with 0 prefix), RPID *31#0301234567 (with prefix *31#)');
});

function register(cseq: number, status: number, withAuth: boolean, at: number): Msg[] {
  const auth = withAuth ? ['Authorization: Digest username="alice", realm="x", nonce="n", uri="sip:x", response="r"'] : [];
  return [
    { at, from: ALICE, to: BOB, line: `REGISTER ${cseq}`, headers: auth },
    { at: at + 5, from: BOB, to: ALICE, line: `${status} ${cseq} REGISTER` },
  ];
}

test('auth-loop: a REGISTER challenged again and again', () => {
  const call = { callId: 'loop', msgs: [register(1, 401, false, 0), register(2, 401, true, 50), register(3, 401, true, 100), register(4, 401, true, 150)].flat() };
  assert.deepEqual(only([call]), ['error:auth-loop']);
  assert.match(text([call], 'auth-loop'), /REGISTER credentials for user 'alice' challenged 3 times in a row/);
});

test('auth-failed: credentials answered by another challenge; a challenge then success is normal', () => {
  assert.deepEqual(only([{ callId: 'bad', msgs: [register(1, 401, false, 0), register(2, 401, true, 50)].flat() }]), ['error:auth-failed']);
  assert.deepEqual(only([{ callId: 'good', msgs: [register(1, 401, false, 0), register(2, 200, true, 50)].flat() }]), []);
  assert.deepEqual(only([{ callId: 'refresh', msgs: [register(1, 401, false, 0), register(2, 200, true, 50), register(3, 401, false, 60000), register(4, 200, true, 60050)].flat() }]), []);
});

test('status rules: 500, 503 with Retry-After, 480, 482, 486, 404, 408, 603, 420', () => {
  assert.deepEqual(only([failing(500)]), ['error:server-error']);
  assert.deepEqual(only([failing(503, ['Retry-After: 30'])]), ['warning:unavailable']);
  assert.match(text([failing(503, ['Retry-After: 30'])], 'unavailable'), /Retry-After 30$/);
  assert.deepEqual(only([failing(503)]), ['error:server-error']);
  assert.deepEqual(only([failing(480)]), ['warning:unavailable']);
  assert.deepEqual(only([failing(482)]), ['error:loop']);
  assert.deepEqual(only([failing(483)]), ['error:loop']);
  assert.deepEqual(only([failing(486)]), ['info:busy']);
  assert.deepEqual(only([failing(404)]), ['warning:not-found']);
  assert.deepEqual(only([failing(408)]), ['error:request-timeout']);
  assert.deepEqual(only([failing(603)]), ['info:declined']);
  assert.deepEqual(only([failing(420)]), ['warning:rejected']);
});

test('a failure names its Warning and Reason values, Warnings first, however many lines carry them', () => {
  const busy = (headers: string[], before: Msg[] = []): string => {
    const call = failing(486, headers);
    call.msgs.splice(2, 0, ...before);
    return text([call], 'busy');
  };
  assert.equal(busy(['Reason: Q.850;cause=17;text="User busy, try later"']), '486 Busy Here to INVITE for 4989654321 from 10.2.2.20:5060 (Q.850;cause=17;text="User busy, try later")');
  assert.equal(busy(['Reason: SIP;cause=486, Q.850;cause=17']), '486 Busy Here to INVITE for 4989654321 from 10.2.2.20:5060 (SIP;cause=486; Q.850;cause=17)');
  assert.equal(busy(['Reason: Q.850;cause=17', 'Warning: 399 gw "busy"']), '486 Busy Here to INVITE for 4989654321 from 10.2.2.20:5060 (399 gw "busy"; Q.850;cause=17)');
  // The dialog's first reason came from another message: this one's is read from its own bytes.
  const early: Msg = { at: 100, from: BOB, to: ALICE, line: '183 1 INVITE', headers: ['Reason: Q.850;cause=1'] };
  assert.equal(busy(['Reason: Q.850;cause=17'], [early]), '486 Busy Here to INVITE for 4989654321 from 10.2.2.20:5060 (Q.850;cause=17)');
});

test('a failure the call recovered from is one severity lower', () => {
  const call = failing(503);
  call.msgs.push(
    { at: 300, from: ALICE, to: BOB, line: 'INVITE 2', sdp: sdp(ALICE.ip, 4000, '0') },
    { at: 900, from: BOB, to: ALICE, line: '200 2 INVITE', sdp: sdp(BOB.ip, 5000, '0') },
    { at: 910, from: ALICE, to: BOB, line: 'ACK 2' },
  );
  assert.deepEqual(only([call]), ['warning:server-error']);
});

test('cancelled says how long it rang', () => {
  const call: Call = {
    callId: 'cancel',
    msgs: [
      { at: 0, from: ALICE, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0') },
      { at: 500, from: BOB, to: ALICE, line: '180 1 INVITE' },
      { at: 12500, from: ALICE, to: BOB, line: 'CANCEL 1' },
      { at: 12510, from: BOB, to: ALICE, line: '200 1 CANCEL' },
      { at: 12520, from: BOB, to: ALICE, line: '487 1 INVITE' },
      { at: 12530, from: ALICE, to: BOB, line: 'ACK 1' },
    ],
  };
  assert.deepEqual(only([call]), ['info:cancelled']);
  assert.equal(text([call], 'cancelled'), 'CANCEL from 10.1.1.10:5060 13 s after the INVITE, 12 s after 180');
});

test('slow-setup: 180 after 7 s; the threshold is a setting', () => {
  const call = basicCall('slow');
  call.msgs[2].at = 7000;
  call.msgs[3].at = 9000;
  assert.deepEqual(only([call]), ['warning:slow-setup']);
  assert.equal(text([call], 'slow-setup'), '180 came 7.0 s after the INVITE to 4989654321 (threshold 5.0 s)');
  const relaxed = diagnose([call], { setupMs: 8000, lossPct: 2, jitterMs: 30, mos: 3.6, lateMediaMs: 1000 });
  assert.deepEqual(codes(relaxed[0]), []);
});

test('codec-mismatch: 488 to an offer, with what the other side accepts', () => {
  const call = failing(488, ['Warning: 305 gw.example "Incompatible media format: G729 only"']);
  assert.deepEqual(only([call]), ['error:codec-mismatch']);
  assert.equal(text([call], 'codec-mismatch'),
    '488 Not Acceptable Here from 10.2.2.20:5060 to the INVITE offering audio PCMU, PCMA; it says: 305 gw.example "Incompatible media format: G729 only"');
});

test('codec-mismatch: an answer with no codec in common', () => {
  const call = basicCall('nocommon', { offerCodecs: '0 101', answerCodecs: '18 101' });
  assert.deepEqual(only([call]), ['error:codec-mismatch']);
  assert.equal(text([call], 'codec-mismatch'),
    'the INVITE offered audio PCMU, telephone-event, but the answer from 10.2.2.20:5060 has no codec in common: audio G729, telephone-event');
});

test('codec-mismatch: a re-INVITE refused for its codecs is a warning (the call goes on)', () => {
  const call = basicCall('reinvite');
  call.msgs.splice(5, 0,
    { at: 20000, from: ALICE, to: BOB, line: 'INVITE 2', sdp: sdp(ALICE.ip, 4000, '9') },
    { at: 20010, from: BOB, to: ALICE, line: '488 2 INVITE' },
    { at: 20020, from: ALICE, to: BOB, line: 'ACK 2' });
  call.msgs[call.msgs.length - 2].line = 'BYE 3';
  call.msgs[call.msgs.length - 1].line = '200 3 BYE';
  assert.deepEqual(only([call]), ['warning:codec-mismatch']);
  assert.match(text([call], 'codec-mismatch'), /to the re-INVITE offering audio G722/);
});

test('nat-mismatch: a phone behind NAT writes its private address into SDP and Contact', () => {
  const phone: Party = { ip: '192.168.1.10', port: 5060, user: '201' };
  const sbc: Party = { ip: '198.51.100.7', port: 5060, user: '4989654321' };
  const nat = { ip: '203.0.113.5', port: 34567 };
  const call: Call = {
    callId: 'nat',
    msgs: [
      { at: 0, from: phone, to: sbc, via: nat, line: 'INVITE 1', sdp: sdp(phone.ip, 4000, '0') },
      { at: 100, from: sbc, to: phone, line: '200 1 INVITE', sdp: sdp(sbc.ip, 5000, '0') },
      { at: 110, from: phone, to: sbc, via: nat, line: 'ACK 1' },
    ],
  };
  assert.deepEqual(only([call]), ['warning:nat-mismatch']);
  assert.equal(text([call], 'nat-mismatch'),
    'INVITE from 203.0.113.5:34567 (public) carries private Via 192.168.1.10, Contact 192.168.1.10, SDP c=192.168.1.10: the sender is behind NAT');
  // All on one private network: nothing to say.
  assert.deepEqual(only([basicCall('lan')]), []);
});

test('diversion: a diverted call that fails names the diverting number and reason; a malformed Diversion is a warning', () => {
  const call = failing(486);
  call.msgs[0].headers = ['Diversion: <sip:+4930999@pbx.example>;reason=no-answer;counter=1'];
  assert.deepEqual(only([call]), ['warning:diversion', 'info:busy']);
  assert.equal(text([call], 'diversion'), 'diverted call failed with 486 Busy Here; Diversion +4930999 (reason no-answer, counter 1)');
  const bad = basicCall('baddiv');
  bad.msgs[0].headers = ['Diversion: 4930999;reason=unconditional'];
  assert.deepEqual(only([bad]), ['warning:diversion']);
  assert.match(text([bad], 'diversion'), /^malformed Diversion header '4930999;reason=unconditional'/);
  const fine = basicCall('gooddiv');
  fine.msgs[0].headers = ['Diversion: <tel:+4930999>;reason=unconditional'];
  assert.deepEqual(only([fine]), []);
});

test('the README documents every finding code', async () => {
  const { readFileSync } = await import('node:fs');
  const { REPO } = await import('../support/cli.js');
  const readme = readFileSync(`${REPO}/README.md`, 'utf8');
  for (const c of FINDING_CODES) assert.ok(readme.includes(`| \`${c.code}\` | ${c.severity} | ${c.description} |`), c.code);
});
