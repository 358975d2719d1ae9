import type { FaxEvent } from './fax-session.js';

/** One T.30 step as the ladder, the fax screen and JSON show it. */
export interface T30Step {
  frame: string;
  ts: bigint;
  from: string;
  to: string;
  detail: string;
  /** The detail as a ladder arrow has room for (`14400 fine ECM` for DIS/DTC/DCS). */
  brief: string;
}

export interface Training {
  rate: number;
  /** CFR answered the training check; false for FTT or no answer. */
  ok: boolean;
}

export interface PageOutcome {
  /** 1-based. */
  page: number;
  start: bigint;
  end: bigint;
  /** The receiver's answer to the post-page command: MCF, RTP, RTN, PIP, PIN, or '' when none came. */
  answer: string;
}

export type FaxResult = 'ok' | 'failed' | 'incomplete';

export interface FaxSummary {
  /** TSI (the sending terminal) and CSI (the receiving one), '' when not sent. */
  calling: string;
  called: string;
  /** From the last DCS: bit/s, resolution, ECM. */
  rate: number;
  resolution: string;
  ecm: boolean;
  trainings: Training[];
  /** Every page transmission; a page resent after RTN appears again with the same number. */
  pages: PageOutcome[];
  confirmedPages: number;
  steps: T30Step[];
  result: FaxResult;
  reason: string;
}

/** Pages sent: the highest page number (a page resent after RTN counts once). */
export function pagesSent(s: FaxSummary): number {
  return s.pages.reduce((n, p) => Math.max(n, p.page), 0);
}

/** Commands that end a page and ask for the receiver's answer. */
const POST_PAGE = new Set(['MPS', 'EOP', 'EOM', 'PRI-MPS', 'PRI-EOP', 'PRI-EOM', 'EOR']);
const PAGE_ANSWERS = new Set(['MCF', 'RTP', 'RTN', 'PIP', 'PIN']);
const CONFIRMS = new Set(['MCF', 'RTP', 'PIP']);

/**
 * Follows T.30 phases B–E through the frames of a session: what was negotiated, how training
 * went, which pages the receiver confirmed, and whether the fax went through
 * (EOP answered by MCF, then DCN) or why not.
 */
export function summarizeFax(events: readonly FaxEvent[]): FaxSummary {
  const s: FaxSummary = {
    calling: '', called: '', rate: 0, resolution: '', ecm: false, trainings: [], pages: [], confirmedPages: 0,
    steps: [], result: 'incomplete', reason: '',
  };
  let dcsUnanswered = 0;
  let trained = false;
  /** Page data since the last post-page command. */
  let pageStart: bigint | undefined;
  let pageEnd = 0n;
  /** The page whose post-page command awaits an answer. */
  let pending: PageOutcome | undefined;
  let pendingCommand = '';
  let eopConfirmed = false;
  let ended = false;
  const fail = (reason: string): void => {
    if (s.result !== 'failed') [s.result, s.reason] = ['failed', reason];
  };
  for (const e of events) {
    if (e.kind === 'data') {
      // High-speed data after CFR is a page; before it, the training check (TCF).
      if (trained) {
        pageStart ??= e.ts;
        pageEnd = e.end;
      }
      continue;
    }
    if (e.kind !== 't30' || ended) continue;
    const f = e.frame;
    const name = f.name;
    let detail = e.detail;
    if (name === 'CSI') s.called = f.identity ?? '';
    else if (name === 'TSI') s.calling = f.identity ?? '';
    else if (name === 'DCS' && f.caps) {
      [s.rate, s.resolution, s.ecm] = [f.caps.rate, f.caps.resolution, f.caps.ecm];
      dcsUnanswered++;
      trained = false;
    } else if (name === 'CFR' || name === 'FTT') {
      if (dcsUnanswered > 0) s.trainings.push({ rate: s.rate, ok: name === 'CFR' });
      dcsUnanswered = 0;
      trained = name === 'CFR';
      if (name === 'FTT') detail = `${s.rate} failed`;
    } else if (POST_PAGE.has(name) || (name === 'PPS' && f.fcf2 && f.fcf2 !== 'NULL')) {
      const command = name === 'PPS' ? f.fcf2! : name;
      // A command repeated while unanswered (lost, or ECM frames resent after PPR) stays on its page.
      if (!pending || pending.answer !== '') {
        const page = pending?.answer === 'RTN' ? pending.page : (pending?.page ?? 0) + 1;
        pending = { page, start: pageStart ?? e.ts, end: pageStart === undefined ? e.ts : pageEnd, answer: '' };
        s.pages.push(pending);
      } else if (pageStart !== undefined) {
        pending.end = pageEnd;
      }
      pageStart = undefined;
      pendingCommand = command;
      if (f.page === undefined) detail = [detail, `page ${pending.page}`].filter(Boolean).join(' ');
    } else if (PAGE_ANSWERS.has(name) && pending && pending.answer === '') {
      pending.answer = name;
      if (CONFIRMS.has(name)) s.confirmedPages++;
      detail = `page ${pending.page}`;
      if (pendingCommand.endsWith('EOP')) {
        if (CONFIRMS.has(name)) eopConfirmed = true;
        else fail(`${name} for page ${pending.page}`);
      }
      // After RTP/RTN the sender trains again before the next page.
      if (name === 'RTP' || name === 'RTN') trained = false;
    } else if (name === 'DCN') {
      ended = true;
      if (eopConfirmed) {
        if (s.result !== 'failed') s.result = 'ok';
      } else if (dcsUnanswered > 0) fail(`no CFR after DCS ×${dcsUnanswered}`);
      else if (s.trainings.length > 0 && !s.trainings.at(-1)!.ok && !trained) fail(`training failed (FTT at ${s.rate})`);
      else if (pending?.answer === 'RTN') fail(`RTN for page ${pending.page}`);
      else fail(s.pages.length === 0 ? 'DCN before any page' : 'DCN before EOP');
    } else if (name === 'CRP' && pending && pending.answer === '') {
      detail = `page ${pending.page}`;
    }
    const brief = f.caps ? `${f.caps.rate} ${f.caps.resolution}${f.caps.ecm ? ' ECM' : ''}` : detail;
    s.steps.push({ frame: name, ts: e.ts, from: e.from, to: e.to, detail, brief });
  }
  if (!ended && s.result === 'incomplete') {
    // The capture (or the session) ended mid-procedure; some endings are failures all the same.
    if (dcsUnanswered >= 2) fail(`no CFR after DCS ×${dcsUnanswered}`);
    else if (eopConfirmed) s.reason = 'no DCN after MCF';
    else if (pending?.answer === 'RTN') fail(`RTN for page ${pending.page}`);
  }
  return s;
}

/** The training outcomes in one line: `14400 FTT, 12000 CFR`. */
export function describeTrainings(t: readonly Training[]): string {
  return t.map((x) => `${x.rate} ${x.ok ? 'CFR' : 'FTT'}`).join(', ');
}
