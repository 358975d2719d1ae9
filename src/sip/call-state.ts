/**
 * sngrep's call state machine (sip_call.c call_update_state) for dialogs whose first message is
 * an INVITE request. Pure: the store keeps one CallProgress per dialog and replaces it.
 */
import type { CallState, SipMessage } from '../model/sip.js';

export interface CallProgress {
  state: CallState;
  /** CSeq of the INVITE that started the current setup: only its final responses end the setup. */
  inviteCseq: number;
}

export type CallFacts = Pick<SipMessage, 'method' | 'status' | 'cseq' | 'cseqMethod'>;

/** Steps p over message m in place; returns whether its state changed. */
export function advanceCall(p: CallProgress, m: CallFacts): boolean {
  const next = nextState(p, m);
  if (next === p.state) return false;
  // A setup begins with the INVITE it waits on: the only step that starts one.
  if (next === 'CALL SETUP') p.inviteCseq = m.cseq;
  p.state = next;
  return true;
}

function nextState(p: CallProgress, m: CallFacts): CallState {
  switch (p.state) {
    case '':
      return m.method === 'INVITE' ? 'CALL SETUP' : p.state;
    case 'CALL SETUP':
      return setupStep(p, m);
    case 'IN CALL':
      // Re-INVITEs and their answers keep the call up; only a BYE ends it.
      return m.method === 'BYE' ? 'COMPLETED' : p.state;
    default:
      // A new INVITE after a final outcome (typically the retry after a 401/407 challenge) starts over.
      return m.method === 'INVITE' ? 'CALL SETUP' : p.state;
  }
}

function setupStep(p: CallProgress, m: CallFacts): CallState {
  const toInvite = m.cseq === p.inviteCseq;
  const s = m.status;
  let next: CallState = p.state;
  if (m.method === 'ACK' && toInvite) next = 'IN CALL';
  // sngrep waits for the ACK; a 2xx answering the INVITE already means the call is up, which
  // matters when the capture point never sees the ACK.
  else if (s >= 200 && s < 300 && toInvite && m.cseqMethod === 'INVITE') next = 'IN CALL';
  else if (m.method === 'CANCEL') next = 'CANCELLED';
  else if (s === 480 || s === 486 || s === 600) next = 'BUSY';
  else if (s >= 400 && toInvite) next = 'REJECTED';
  else if (s === 181 || (s >= 300 && s < 400 && toInvite)) next = 'DIVERTED';
  return next;
}
