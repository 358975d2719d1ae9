import type { Endpoint, Population, Subscriber } from './population.js';
import type { Random } from './random.js';

export type Scenario = 'answered' | 'busy' | 'cancelled' | 'unanswered' | 'rejected' | 'register' | 'options';

/** Share of dialogs per scenario (answered includes the B-legs of two-leg calls). */
const MIX: readonly [Scenario, number][] = [
  ['answered', 0.55], ['busy', 0.10], ['cancelled', 0.10], ['unanswered', 0.05],
  ['rejected', 0.05], ['register', 0.10], ['options', 0.05],
];

/** The call state sngrep (and so sipscope) shows for each scenario. */
export const EXPECTED_STATE: Record<Scenario, string> = {
  answered: 'COMPLETED', busy: 'BUSY', cancelled: 'CANCELLED', unanswered: 'CALL SETUP',
  rejected: 'REJECTED', register: '', options: '',
};

/** What one captured message is. Retransmissions repeat a kind, so they render to identical bytes. */
export type MessageKind =
  | 'invite' | 'trying' | 'ringing' | 'progress' | 'ok-invite' | 'ack-ok' | 'final' | 'ack-final'
  | 'cancel' | 'ok-cancel' | 'reinvite' | 'ok-reinvite' | 'ack-reinvite'
  | 'bye-caller' | 'ok-bye-caller' | 'bye-callee' | 'ok-bye-callee'
  | 'register' | 'unauthorized' | 'register-auth' | 'ok-register' | 'options' | 'ok-options';

/** True for messages the calling side sends; the others travel back from the called side. */
export const SENT_BY_CALLER: Record<MessageKind, boolean> = {
  'invite': true, 'trying': false, 'ringing': false, 'progress': false, 'ok-invite': false, 'ack-ok': true,
  'final': false, 'ack-final': true, 'cancel': true, 'ok-cancel': false, 'reinvite': true, 'ok-reinvite': false,
  'ack-reinvite': true, 'bye-caller': true, 'ok-bye-caller': false, 'bye-callee': false, 'ok-bye-callee': true,
  'register': true, 'unauthorized': false, 'register-auth': true, 'ok-register': false, 'options': true, 'ok-options': false,
};

export interface Step {
  /** Microseconds after the call's first message. */
  at: number;
  kind: MessageKind;
  /** Session refreshes (re-INVITEs) sent by this step's point in the dialog: the caller's CSeq advances with each. */
  refresh: number;
}

/** Everything needed to render every message of one dialog; rendering itself draws no random numbers. */
export interface Call {
  scenario: Scenario;
  /** Microseconds after the capture start. */
  start: number;
  callId: string;
  caller: Endpoint;
  callee: Endpoint;
  from: Subscriber;
  to: Subscriber;
  fromTag: string;
  toTag: string;
  /** Per-dialog stem of Via branches; a transaction number is appended. */
  branch: string;
  cseq: number;
  calleeCseq: number;
  /** Final response status of the INVITE (200 when answered). */
  status: number;
  /** Proxy that record-routes the dialog, or null. */
  recordRoute: Endpoint | null;
  assertedIdentity: boolean;
  diversion: Subscriber | null;
  /** Call-ID of the other leg for B2BUA legs, else ''. */
  xCallId: string;
  offer: number[];
  answer: number[];
  sdpSession: number;
  callerRtpPort: number;
  calleeRtpPort: number;
  steps: Step[];
}

const SECOND = 1_000_000;
const MS = 1000;
/** Timer A doubling from T1 = 0.5 s until timer B (64*T1) fires: 7 copies of the INVITE. */
const TIMER_A_SENDS = [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5].map((s) => s * SECOND);
/** Session-Expires; the refresher re-INVITEs at half of it. */
export const SESSION_EXPIRES_S = 240;
const TWO_LEG_SHARE = 0.12;
/** The B-leg of a two-leg call lags requests behind and leads responses ahead of the A-leg. */
const LEG_LAG = 8 * MS;
const AUDIO_CODECS = [8, 0, 9, 18, 96, 97, 3];
const TELEPHONE_EVENT = 101;

function pickScenario(rnd: Random): Scenario {
  let u = rnd.next();
  for (const [scenario, share] of MIX) {
    if ((u -= share) < 0) return scenario;
  }
  return 'answered';
}

function callIdFor(rnd: Random, index: number, caller: Endpoint): string {
  const unique = index.toString(16).padStart(6, '0');
  switch (rnd.int(0, 2)) {
    case 0: return `${rnd.hex(24)}${unique}@${caller.ip}`;
    case 1: return `${rnd.hex(8)}-${rnd.hex(4)}-${rnd.hex(4)}-${rnd.hex(4)}-${rnd.hex(6)}${unique}`;
    default: return `${rnd.hex(10)}-${unique}${rnd.hex(4)}@${caller.ip}:${caller.port}`;
  }
}

function codecOffer(rnd: Random): number[] {
  const pool = [...AUDIO_CODECS];
  const offer: number[] = [];
  const count = rnd.int(3, 5);
  while (offer.length < count) offer.push(pool.splice(rnd.int(0, pool.length - 1), 1)[0]!);
  return [...offer, TELEPHONE_EVENT];
}

function inviteTimeline(rnd: Random, scenario: Scenario, rtt: number): Step[] {
  const steps: Step[] = [];
  const at = (t: number, kind: MessageKind, refresh = 0): void => { steps.push({ at: Math.round(t), kind, refresh }); };
  if (scenario === 'unanswered') {
    for (const t of TIMER_A_SENDS) at(t, 'invite');
    return steps;
  }
  at(0, 'invite');
  if (scenario === 'rejected') {
    if (rnd.chance(0.7)) at(rtt, 'trying');
    const final = rtt + rnd.int(20, 800) * MS;
    at(final, 'final');
    at(final + rtt, 'ack-final');
    return steps;
  }
  at(rtt, 'trying');
  const ring = rtt + rnd.int(200, 3000) * MS;
  if (scenario === 'busy') {
    const rings = rnd.chance(0.5);
    if (rings) at(ring, 'ringing');
    const final = (rings ? ring : rtt) + rnd.int(100, 5000) * MS;
    at(final, 'final');
    at(final + rtt, 'ack-final');
    return steps;
  }
  at(ring, scenario === 'answered' && rnd.chance(0.2) ? 'progress' : 'ringing');
  if (scenario === 'cancelled') {
    const cancel = ring + rnd.int(2, 30) * SECOND;
    at(cancel, 'cancel');
    at(cancel + rtt, 'ok-cancel');
    at(cancel + rtt + MS, 'final');
    at(cancel + 2 * rtt + MS, 'ack-final');
    return steps;
  }
  const answer = ring + rnd.int(1500, 25000) * MS;
  at(answer, 'ok-invite');
  at(answer + rtt, 'ack-ok');
  const talk = Math.min(3600, Math.max(2, rnd.logNormal(60, 1))) * SECOND;
  const interval = (SESSION_EXPIRES_S / 2) * SECOND;
  // A refresh must complete (re-INVITE, 200, ACK) before the BYE.
  const refreshes = Math.ceil((talk - 2 * rtt - 2 * MS) / interval) - 1;
  for (let n = 1; n <= refreshes; n++) {
    const t = answer + n * interval;
    at(t, 'reinvite', n);
    at(t + rtt + 2 * MS, 'ok-reinvite', n);
    at(t + 2 * rtt + 2 * MS, 'ack-reinvite', n);
  }
  const callerHangs = rnd.chance(0.6);
  at(answer + talk, callerHangs ? 'bye-caller' : 'bye-callee', refreshes);
  at(answer + talk + rtt, callerHangs ? 'ok-bye-caller' : 'ok-bye-callee', refreshes);
  return steps;
}

function simpleTimeline(first: MessageKind, rtt: number, rnd: Random): Step[] {
  if (first === 'options') return [{ at: 0, kind: 'options', refresh: 0 }, { at: rtt, kind: 'ok-options', refresh: 0 }];
  const retry = rtt + rnd.int(1, 15) * MS;
  return [
    { at: 0, kind: 'register', refresh: 0 },
    { at: rtt, kind: 'unauthorized', refresh: 0 },
    { at: retry, kind: 'register-auth', refresh: 0 },
    { at: retry + rtt, kind: 'ok-register', refresh: 0 },
  ];
}

const FINAL_STATUS: Partial<Record<Scenario, readonly number[]>> = {
  answered: [200], busy: [486], cancelled: [487], rejected: [403, 404, 488],
};

/** Who talks to whom: calls go through the carrier cores, in either direction. */
function parties(rnd: Random, pop: Population, scenario: Scenario): [Endpoint, Endpoint] {
  const core = rnd.pick(pop.cores);
  if (scenario === 'register') return [rnd.pick(pop.phones), core];
  if (scenario === 'options') {
    const trunk = rnd.pick(pop.trunks);
    return rnd.chance(0.5) ? [core, trunk] : [trunk, core];
  }
  const edge = rnd.chance(0.55) ? rnd.pick(pop.phones) : rnd.pick(pop.trunks);
  return rnd.chance(0.7) ? [edge, core] : [core, edge];
}

function makeCall(rnd: Random, pop: Population, index: number, scenario: Scenario, start: number,
  [caller, callee] = parties(rnd, pop, scenario)): Call {
  const rtt = rnd.int(1, 40) * MS;
  const inbound = !pop.cores.includes(callee);
  const offer = codecOffer(rnd);
  return {
    scenario,
    start,
    callId: callIdFor(rnd, index, caller),
    caller,
    callee,
    from: rnd.pick(pop.subscribers),
    to: rnd.pick(pop.subscribers),
    fromTag: rnd.hex(rnd.int(8, 12)),
    toTag: rnd.hex(rnd.int(8, 12)),
    branch: rnd.hex(rnd.int(10, 16)),
    cseq: rnd.chance(0.5) ? rnd.int(1, 30000) : 102,
    calleeCseq: rnd.int(1, 30000),
    status: rnd.pick(FINAL_STATUS[scenario] ?? [200]),
    recordRoute: rnd.chance(0.4) ? rnd.pick(pop.cores) : null,
    assertedIdentity: rnd.chance(0.5),
    diversion: inbound && rnd.chance(0.15) ? rnd.pick(pop.subscribers) : null,
    xCallId: '',
    offer,
    answer: [offer[0]!, TELEPHONE_EVENT],
    sdpSession: rnd.int(100000, 2_000_000_000),
    callerRtpPort: rnd.int(5000, 15000) * 2,
    calleeRtpPort: rnd.int(5000, 15000) * 2,
    steps: scenario === 'register' || scenario === 'options'
      ? simpleTimeline(scenario, rtt, rnd)
      : inviteTimeline(rnd, scenario, rtt),
  };
}

/** The SBC's outgoing leg of `aLeg`: own Call-ID and addresses, same parties, X-Call-ID back to the A-leg. */
function bLeg(rnd: Random, pop: Population, index: number, aLeg: Call): Call {
  const sbc = pop.cores.includes(aLeg.caller) ? aLeg.caller : aLeg.callee;
  const leg = makeCall(rnd, pop, index, aLeg.scenario, aLeg.start, [sbc, rnd.pick(pop.trunks)]);
  leg.from = aLeg.from;
  leg.to = aLeg.to;
  leg.xCallId = aLeg.callId;
  let previous = -Infinity;
  leg.steps = aLeg.steps.map((s) => {
    const shifted = s.at + (SENT_BY_CALLER[s.kind] || s.kind === 'trying' ? LEG_LAG : -LEG_LAG);
    previous = Math.max(shifted, previous + MS);
    return { ...s, at: previous };
  });
  return leg;
}

/** `dialogs` calls, registrations and keepalives starting uniformly over `spanSeconds`, in creation order. */
export function planCalls(rnd: Random, pop: Population, dialogs: number, spanSeconds: number): Call[] {
  const calls: Call[] = [];
  while (calls.length < dialogs) {
    const scenario = pickScenario(rnd);
    const start = Math.floor(rnd.next() * spanSeconds * SECOND);
    const call = makeCall(rnd, pop, calls.length, scenario, start);
    calls.push(call);
    if (scenario === 'answered' && calls.length < dialogs && rnd.chance(TWO_LEG_SHARE)) {
      calls.push(bLeg(rnd, pop, calls.length, call));
    }
  }
  return calls;
}
