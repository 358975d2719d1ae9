/**
 * The dialog summary lets the engine skip rules (Rule.mayFire): skipping must never lose a finding
 * (the same findings as with every rule run on every dialog, on every shared capture and on calls
 * whose order trips up a naive summary), and it must skip the calls that went well.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DialogId } from '../../src/model/ids.js';
import { RULES } from '../../src/diagnose/registry.js';
import type { Rule } from '../../src/diagnose/rule.js';
import { SummaryReader } from '../../src/diagnose/summary.js';
import { Store } from '../../src/store/store.js';
import { ALICE, BOB, basicCall, codes, datagrams, diagnose, fileFindings, sdp, type Call, type Party } from './scenario.js';
import { SHARED_PCAPS } from '../support/shared-pcaps.js';
import { sharedPcap } from '../support/cli.js';

const PROXY: Party = { ip: '10.3.3.30', port: 5060, user: 'proxy' };

/** `fn` with every rule's mayFire answering yes: what the findings are without the summary. */
async function everyRuleRun<T>(fn: () => T | Promise<T>): Promise<T> {
  const saved = RULES.map((r) => r.mayFire);
  for (const r of RULES) (r as Rule).mayFire = () => true;
  try {
    return await fn();
  } finally {
    RULES.forEach((r, i) => ((r as Rule).mayFire = saved[i]!));
  }
}

/** The rules the summary leaves something to find in each call. */
function firing(calls: readonly Call[]): string[][] {
  const store = new Store();
  const summaries = new SummaryReader(store, 5_000_000_000n);
  for (const d of datagrams(calls)) store.addDatagram(d);
  return calls.map((_, i) => {
    const id = i as DialogId;
    const ids = store.dialog(id)!.messages;
    const s = { flags: 0, failure: 0, headerMask: store.headerMask(id), method: store.dialog(id)!.method, streams: 0, faxFindings: 0, mediaHosts: 0 };
    summaries.summarize(ids, ids.length, s);
    return RULES.filter((r) => r.mayFire(s)).map((r) => r.codes[0]!.code);
  });
}

const reinviteCall = (callId: string, answerCodecs = '8 101'): Call => ({
  callId,
  msgs: [
    ...basicCall(callId).msgs.slice(0, 5),
    { at: 30000, from: ALICE, to: BOB, line: 'INVITE 2', sdp: sdp(ALICE.ip, 4000, '0 8 101') },
    { at: 30100, from: BOB, to: ALICE, line: '200 2 INVITE', sdp: sdp(BOB.ip, 5000, answerCodecs) },
    { at: 30110, from: ALICE, to: BOB, line: 'ACK 2' },
    { at: 60000, from: ALICE, to: BOB, line: 'BYE 3' },
    { at: 60010, from: BOB, to: ALICE, line: '200 3 BYE' },
  ],
});

/** Calls where the findings hang on which transaction a message joins. */
const tricky: Call[] = [
  // The second hop rings late: its own transaction is slow, the first hop's is not.
  {
    callId: 'slow-hop', msgs: [
      { at: 0, from: ALICE, to: PROXY, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0 8') },
      { at: 50, from: PROXY, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0 8') },
      { at: 100, from: PROXY, to: ALICE, line: '180 1 INVITE' },
      { at: 7000, from: BOB, to: PROXY, line: '180 1 INVITE' },
    ],
  },
  // The capture saw the 180 before its INVITE.
  {
    callId: 'early-response', msgs: [
      { at: 0, from: BOB, to: ALICE, line: '180 1 INVITE' },
      { at: 10, from: ALICE, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0 8') },
      { at: 9000, from: BOB, to: ALICE, line: '200 1 INVITE', sdp: sdp(BOB.ip, 5000, '18') },
    ],
  },
  reinviteCall('reinvite-mismatch', '18'),
  // Success, then a 403 to the next REGISTER's credentials.
  {
    callId: 'register-403', msgs: [
      { at: 0, from: ALICE, to: BOB, line: 'REGISTER 1' },
      { at: 10, from: BOB, to: ALICE, line: '401 1 REGISTER' },
      { at: 20, from: ALICE, to: BOB, line: 'REGISTER 2', headers: ['Authorization: Digest username="alice", realm="x"'] },
      { at: 30, from: BOB, to: ALICE, line: '200 2 REGISTER' },
      { at: 40, from: ALICE, to: BOB, line: 'REGISTER 3', headers: ['Authorization: Digest username="alice", realm="x"'] },
      { at: 50, from: BOB, to: ALICE, line: '403 3 REGISTER' },
    ],
  },
  // The re-INVITE's 200 never got its ACK and the BYE came 32 s later.
  {
    callId: 'reinvite-unacked', msgs: [
      ...basicCall('reinvite-unacked').msgs.slice(0, 5),
      { at: 10000, from: ALICE, to: BOB, line: 'INVITE 2', sdp: sdp(ALICE.ip, 4000, '0 8 101') },
      { at: 10100, from: BOB, to: ALICE, line: '200 2 INVITE', sdp: sdp(BOB.ip, 5000, '8 101') },
      { at: 42100, from: BOB, to: ALICE, line: 'BYE 1' },
    ],
  },
  // A late offer: the 200 offers, the ACK answers.
  {
    callId: 'late-offer', msgs: [
      { at: 0, from: ALICE, to: BOB, line: 'INVITE 1' },
      { at: 100, from: BOB, to: ALICE, line: '200 1 INVITE', sdp: sdp(BOB.ip, 5000, '18') },
      { at: 110, from: ALICE, to: BOB, line: 'ACK 1', sdp: sdp(ALICE.ip, 4000, '0') },
    ],
  },
];

test('the summary loses no finding on calls whose order trips up a naive one', async () => {
  const gated = diagnose(tricky);
  assert.deepEqual(gated, await everyRuleRun(() => diagnose(tricky)));
  assert.deepEqual(gated.map(codes), [
    ['warning:slow-setup'],
    ['error:codec-mismatch'],
    ['error:codec-mismatch'],
    ['error:forbidden', 'error:auth-failed'],
    ['error:dropped-after-32s'],
    [],
  ]);
});

test('the summary loses no finding on any shared capture', async () => {
  const files = readFileSync(`${SHARED_PCAPS}EXPECTED.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'))
    .filter(([, , , expect]) => expect !== 'error').map(([file]) => sharedPcap(file!));
  for (const file of files) assert.deepEqual(await fileFindings(file), await everyRuleRun(() => fileFindings(file)), file);
});

test('calls that went well leave no rule anything to read', () => {
  const register: Call = {
    callId: 'register', msgs: [
      { at: 0, from: ALICE, to: BOB, line: 'REGISTER 1' },
      { at: 10, from: BOB, to: ALICE, line: '401 1 REGISTER' },
      { at: 20, from: ALICE, to: BOB, line: 'REGISTER 2', headers: ['Authorization: Digest username="alice", realm="x"'] },
      { at: 30, from: BOB, to: ALICE, line: '200 2 REGISTER' },
    ],
  };
  // Rang for 9 s: the 180 came at once, so that is no slow setup.
  const longRinging = basicCall('ringing');
  longRinging.msgs[3] = { ...longRinging.msgs[3]!, at: 9000 };
  longRinging.msgs[4] = { ...longRinging.msgs[4]!, at: 9010 };
  assert.deepEqual(firing([basicCall('plain'), reinviteCall('refresh'), register, longRinging]), [[], [], [], []]);
});
