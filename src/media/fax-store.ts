import { formatEndpoint } from '../decode/address.js';
import type { Datagram } from '../model/datagram.js';
import type { DialogId } from '../model/ids.js';
import type { FaxCell } from '../model/columns.js';
import type { SkipReason } from '../model/skip.js';
import type { SipMessage } from '../model/sip.js';
import { FaxSession } from './fax-session.js';
import { pagesSent, summarizeFax } from './fax-summary.js';
import { newRtpHeader, readRtp } from './rtp.js';
import { t38Media } from './t38-sdp.js';
import { readNamesT38, type SdpRead } from '../sip/sdp-scan.js';
import { decodeUdptl, type UdptlPacket } from './udptl.js';

/** Filled by readRtp: whether a packet is RTP, and for T.38 over RTP where its IFP lies. */
const RTP_SCRATCH = newRtpHeader();

/** A finding about a dialog's fax, for the diagnosis rules and the JSON dialog line. */
export interface FaxFinding {
  code: FaxFindingCode;
  severity: 'error' | 'warning';
  text: string;
}

/** The fax finding codes (part of the headless contract; see the man page). */
export const FAX_FINDINGS = {
  't38-rejected': { severity: 'error', description: 'the re-INVITE to T.38 was refused (488/415/606) or answered without image/udptl' },
  't38-not-used': { severity: 'warning', description: 'T.38 was accepted but the endpoints kept sending RTP audio on the media ports' },
  'fax-failed': { severity: 'error', description: 'the T.30 procedure failed (no CFR after DCS, RTN, DCN before EOP, …)' },
} as const;
export type FaxFindingCode = keyof typeof FAX_FINDINGS;

/** How a dialog's switch to T.38 went, from its SIP alone (the fax screen shows it when no UDPTL was captured). */
export interface T38Negotiation {
  /** When a 2xx accepted T.38. */
  acceptedAt?: bigint;
  /** Why it is not T.38: refused, or answered without image/udptl. */
  refused?: string;
  /** The T.38 endpoints the SDP announced (ip:port). */
  endpoints: string[];
}

/** The T.38 offer/answer of one dialog. */
interface Switch {
  /** CSeq of the request offering T.38 that awaits its answer, -1 when none. */
  offerCseq: number;
  acceptedAt?: bigint;
  refused?: string;
  /** RTP packets on the dialog's media ports after T.38 was accepted (and the grace period). */
  rtpAfter: number;
  /** The T.38 endpoints its SDP named (ip:port), at most MAX_T38_ENDPOINTS: an endpoint's entry in the map may be relearnt as audio. */
  t38: string[];
}

interface Endpoint {
  dialog: DialogId;
  image: boolean;
  /** T.38 carried in RTP with this payload type (RFC 4612) rather than in UDPTL. */
  rtpPayloadType?: number;
}

/** RFC 4612: each RTP packet of the t38 payload type carries one IFP; the RTP sequence numbers it. */
function ifpInRtp(payload: Buffer, payloadType: number): UdptlPacket | 'not-t38' {
  const rtp = RTP_SCRATCH;
  if (readRtp(payload, rtp) !== '' || rtp.payloadType !== payloadType || rtp.payloadEnd <= rtp.payloadStart) return 'not-t38';
  return { seq: rtp.seq, primary: payload.subarray(rtp.payloadStart, rtp.payloadEnd), secondaries: [], fec: [], fecSpan: 0 };
}

/** Statuses that say "not T.38", as opposed to challenges (401/407) or glare (491) that are retried. */
const REFUSALS = new Set([415, 488, 606]);
/** Audio still flowing this long after the 200 OK is not the switch-over's tail. */
const GRACE_NS = 1_000_000_000n;
/** That many RTP packets after the grace period (a second of 20 ms audio) make a finding. */
const RTP_AFTER_SWITCH = 50;

/** What findings() answers for a dialog with no fax: one shared empty list. */
const NO_FINDINGS: readonly FaxFinding[] = [];

/** Endpoints remembered; SDP is input that can grow without limit. */
const MAX_ENDPOINTS = 100_000;
const MAX_SESSIONS_PER_DIALOG = 8;
const MAX_T38_ENDPOINTS = 8;

/**
 * Fax over IP per dialog: learns T.38 endpoints (m=image udptl, or t38 over RTP) and the audio
 * ones from SDP, follows the offer/answer of the switch to T.38, decodes the UDPTL sessions on
 * those endpoints and counts RTP that keeps flowing after T.38 was accepted.
 */
export class FaxStore {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly ports = new Set<number>();
  private readonly sessionsByDialog = new Map<DialogId, FaxSession[]>();
  private readonly switches = new Map<DialogId, Switch>();
  /** Dialogs with T.38 in their SDP, in id order (order[head] on are held). */
  private readonly order: DialogId[] = [];
  private head = 0;
  /** Endpoint keys each dialog taught, so a forgotten dialog takes its own with it. */
  private readonly keysByDialog = new Map<DialogId, string[]>();

  /** Counts what is dropped: endpoints past the bound, payloads on T.38 ports that are neither UDPTL nor RTP. */
  constructor(private readonly skip: (reason: SkipReason) => void = () => {}) {}

  /**
   * Whether sip() has anything to do with a message of `dialog` whose SDP read is `sdp`: its SDP
   * names T.38, or the dialog offered T.38 before. Most messages are neither: asked first, this
   * spares them the message record and the SDP parse.
   */
  wants(dialog: DialogId, sdp: SdpRead): boolean {
    return readNamesT38(sdp) || (this.switches.size !== 0 && this.switches.has(dialog));
  }

  /**
   * A SIP message of a dialog; `payload` is its bytes when it carries SDP. `earlierSdp` gives the
   * SDP messages the dialog had before, read only when the dialog first offers T.38 (their audio
   * endpoints are where RTP that ignores the switch keeps flowing).
   */
  sip(m: SipMessage, payload: Buffer | undefined, earlierSdp: (m: SipMessage) => Buffer[]): void {
    let sw = this.switches.get(m.dialog);
    if (!sw && !payload) return;
    const media = payload ? t38Media(payload) : undefined;
    const offersT38 = media?.endpoints.some((e) => e.image) ?? false;
    // Any SDP with T.38 opens the dialog's fax state: usually a re-INVITE, but an offer can come in a 200 (late offer).
    const opened = !sw && offersT38;
    if (opened) {
      this.switches.set(m.dialog, (sw = { offerCseq: -1, rtpAfter: 0, t38: [] }));
      this.insertInOrder(m.dialog);
    }
    if (!sw) return;
    for (const e of media?.endpoints ?? []) {
      this.learn(m.dialog, e.address, e.port, e.image, e.rtpPayloadType);
      const name = e.image ? formatEndpoint(e.address, e.port) : '';
      if (name !== '' && sw.t38.length < MAX_T38_ENDPOINTS && !sw.t38.includes(name)) sw.t38.push(name);
    }
    let earlier: Buffer[] | undefined;
    if (opened) {
      earlier = earlierSdp(m);
      for (const b of earlier) {
        for (const e of t38Media(b)?.endpoints ?? []) if (!e.image) this.learnIfNew(m.dialog, e.address, e.port);
      }
    }
    if (m.method !== '' && offersT38 && m.cseqMethod !== 'ACK') {
      // A switch is an offer of T.38 alone, or any offer of it once the call had media: a first
      // INVITE offering audio and fax, answered with audio, declines nothing that was asked for.
      const imageOnly = media!.endpoints.every((e) => e.image);
      if (imageOnly || (earlier ?? earlierSdp(m)).length > 0) sw.offerCseq = m.cseq;
      return;
    }
    if (!sw || m.method !== '' || m.cseq !== sw.offerCseq || m.status < 200) return;
    if (m.status < 300) {
      if (!media) return; // the answer may come in the ACK; nothing to judge yet
      if (offersT38) sw.acceptedAt ??= m.ts;
      else sw.refused = 'the re-INVITE to T.38 was answered without image/udptl';
      sw.offerCseq = -1;
    } else if (REFUSALS.has(m.status) || m.status >= 600) {
      sw.refused = `the re-INVITE to T.38 was refused with ${m.status}`;
      sw.offerCseq = -1;
    }
  }

  /** An endpoint from before the switch: never overrides what the T.38 SDP said about it. */
  private learnIfNew(dialog: DialogId, address: string, port: number): void {
    if (!this.endpoints.has(`${address}|${port}`)) this.learn(dialog, address, port, false);
  }

  private learn(dialog: DialogId, address: string, port: number, image: boolean, rtpPayloadType?: number): void {
    const key = `${address}|${port}`;
    if (!this.endpoints.has(key) && this.endpoints.size >= MAX_ENDPOINTS) {
      this.skip('media-endpoint-limit');
      return;
    }
    this.endpoints.set(key, { dialog, image, ...(rtpPayloadType !== undefined && { rtpPayloadType }) });
    const keys = this.keysByDialog.get(dialog);
    if (keys) keys.push(key);
    else this.keysByDialog.set(dialog, [key]);
    this.ports.add(port);
  }

  /** Whether offer() could want a datagram between these ports (a T.38 dialog announced one of them). */
  watches(sport: number, dport: number): boolean {
    // Most captures have no T.38 at all: no look-up per media packet then.
    return this.ports.size !== 0 && (this.ports.has(dport) || this.ports.has(sport));
  }

  /** A non-SIP UDP datagram: taken when it is UDPTL on a T.38 endpoint, counted when it is RTP after the switch. */
  offer(d: Datagram): boolean {
    if (d.transport !== 'UDP') return false;
    const e = this.endpointOf(d.dst, d.dport) ?? this.endpointOf(d.src, d.sport);
    if (!e) return false;
    const sw = this.switches.get(e.dialog);
    if (!sw) return false;
    const p = !e.image ? undefined : e.rtpPayloadType === undefined ? decodeUdptl(d.payload) : ifpInRtp(d.payload, e.rtpPayloadType);
    if (p !== undefined && typeof p !== 'string') {
      const src = formatEndpoint(d.src, d.sport);
      const dst = formatEndpoint(d.dst, d.dport);
      this.session(e.dialog, src, dst)?.push(d.ts, src, p);
      return true;
    }
    const rtp = readRtp(d.payload, RTP_SCRATCH) === '';
    // RTP on a T.38 port is the switch-over's tail (or T.38 not used); anything else is a bad UDPTL packet.
    if (!rtp && p !== undefined && p !== 'not-t38') this.skip(p);
    else if (rtp && sw.acceptedAt !== undefined && d.ts > sw.acceptedAt + GRACE_NS) sw.rtpAfter++;
    return false;
  }

  private endpointOf(address: string, port: number): Endpoint | undefined {
    return this.ports.has(port) ? this.endpoints.get(`${address}|${port}`) : undefined;
  }

  private session(dialog: DialogId, src: string, dst: string): FaxSession | undefined {
    let list = this.sessionsByDialog.get(dialog);
    if (!list) this.sessionsByDialog.set(dialog, (list = []));
    const found = list.find((s) => (s.endpoints[0] === src && s.endpoints[1] === dst) || (s.endpoints[0] === dst && s.endpoints[1] === src));
    if (found || list.length >= MAX_SESSIONS_PER_DIALOG) return found;
    const s = new FaxSession(src, dst, this.skip);
    list.push(s);
    return s;
  }

  /** Dialogs that offered T.38, in id order. */
  dialogs(): readonly DialogId[] {
    return this.head === 0 ? this.order : this.order.slice(this.head);
  }

  private insertInOrder(dialog: DialogId): void {
    // Dialogs mostly offer T.38 in arrival order: the search runs from the end.
    let at = this.order.length;
    while (at > this.head && this.order[at - 1]! > dialog) at--;
    this.order.splice(at, 0, dialog);
  }

  /** Rotation (-l N -R) dropped the dialogs before `first`: their sessions, endpoints and switch state go too. */
  forgetBefore(first: DialogId): void {
    while (this.head < this.order.length && this.order[this.head]! < first) {
      const dialog = this.order[this.head++]!;
      this.switches.delete(dialog);
      this.sessionsByDialog.delete(dialog);
      for (const key of this.keysByDialog.get(dialog) ?? []) if (this.endpoints.get(key)?.dialog === dialog) this.endpoints.delete(key);
      this.keysByDialog.delete(dialog);
    }
    // Reclaim the front of the list once it is mostly forgotten.
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  /** UDPTL sessions of a dialog, in order of their first packet. */
  sessions(dialog: DialogId): readonly FaxSession[] {
    return this.sessionsByDialog.get(dialog) ?? [];
  }

  /** The dialog's T.38 offer/answer; undefined when it never offered T.38. */
  negotiation(dialog: DialogId): T38Negotiation | undefined {
    const sw = this.switches.get(dialog);
    if (!sw) return undefined;
    return { ...(sw.acceptedAt !== undefined && { acceptedAt: sw.acceptedAt }), ...(sw.refused !== undefined && { refused: sw.refused }), endpoints: sw.t38 };
  }

  /** The dialog's fax in one cell (the Fax column): the worst result of its sessions, their pages; undefined without one. */
  cell(dialog: DialogId): FaxCell | undefined {
    const sessions = this.sessions(dialog);
    if (sessions.length === 0) return undefined;
    const cell: FaxCell = { result: 'ok', pages: 0, confirmedPages: 0 };
    for (const s of sessions) {
      const summary = summarizeFax(s.events());
      if (summary.result === 'failed' || (summary.result === 'incomplete' && cell.result === 'ok')) cell.result = summary.result;
      cell.pages += pagesSent(summary);
      cell.confirmedPages += summary.confirmedPages;
    }
    return cell;
  }

  /** What went wrong with the dialog's fax: the switch to T.38, and each failed T.30 procedure. */
  findings(dialog: DialogId): readonly FaxFinding[] {
    const sw = this.switches.get(dialog);
    // The diagnosis asks for every dialog, and most never switched to fax.
    if (sw === undefined && !this.sessionsByDialog.has(dialog)) return NO_FINDINGS;
    const out: FaxFinding[] = [];
    const add = (code: FaxFindingCode, text: string): void => {
      out.push({ code, severity: FAX_FINDINGS[code].severity, text });
    };
    if (sw?.refused) add('t38-rejected', sw.refused);
    if (sw && sw.rtpAfter >= RTP_AFTER_SWITCH) {
      add('t38-not-used', `T.38 was accepted but ${sw.rtpAfter} RTP packets followed on the media ports`);
    }
    for (const s of this.sessions(dialog)) {
      const summary = summarizeFax(s.events());
      if (summary.result === 'failed') add('fax-failed', `fax failed: ${summary.reason}`);
    }
    return out;
  }
}
