import type { DialogId, MessageId } from '../../src/model/ids.js';
import type { CallState, Dialog, SipMessage } from '../../src/model/sip.js';
import type { FrameLocation, StoreStats } from '../../src/model/store-view.js';
import type { MessageView } from '../../src/model/message-view.js';
import { parseSipMessage } from '../../src/sip/message.js';
import { buildMessageView } from '../../src/store/message-view.js';
import { DialogQuery, type QuerySpec } from '../../src/store/query.js';
import type { UiStore } from '../../src/ui/context.js';

/** One call: INVITE, 100, 180, 200 (SDP), ACK, BYE, 200. */
const SCRIPT: { method: string; status: number; reason: string; fromCaller: boolean; sdp: boolean; cseq: number }[] = [
  { method: 'INVITE', status: 0, reason: '', fromCaller: true, sdp: true, cseq: 1 },
  { method: '', status: 100, reason: 'Trying', fromCaller: false, sdp: false, cseq: 1 },
  { method: '', status: 180, reason: 'Ringing', fromCaller: false, sdp: false, cseq: 1 },
  { method: '', status: 200, reason: 'OK', fromCaller: false, sdp: true, cseq: 1 },
  { method: 'ACK', status: 0, reason: '', fromCaller: true, sdp: false, cseq: 1 },
  { method: 'BYE', status: 0, reason: '', fromCaller: true, sdp: false, cseq: 2 },
  { method: '', status: 200, reason: 'OK', fromCaller: false, sdp: false, cseq: 2 },
];
const PER_DIALOG = SCRIPT.length;
const STATES: CallState[] = ['COMPLETED', 'IN CALL', 'CALL SETUP', 'CANCELLED', 'REJECTED', 'BUSY', 'DIVERTED', ''];
const T0 = 1_700_000_000_000_000_000n;

/**
 * A store of synthetic calls computed on demand (a million dialogs cost no memory), for widget
 * tests and the key→frame benchmark. `fromDisplay` (also the user part when set) lets a test
 * inject hostile header text.
 */
export class FakeStore implements UiStore {
  version = 0;
  firstId = 0 as DialogId;
  private listeners = new Set<() => void>();

  constructor(private count: number, private readonly fromDisplay: (i: number) => string = () => '') {}

  /** Appends dialogs as a live capture would. */
  grow(by: number): void {
    this.count += by;
    this.version++;
    for (const fn of this.listeners) fn();
  }

  dialogCount(): number { return this.count; }
  messageCount(): number { return this.count * PER_DIALOG; }

  query(spec?: QuerySpec): DialogQuery {
    return new DialogQuery(this, spec);
  }

  dialog(id: DialogId): Dialog | undefined {
    return id < this.firstId || id >= this.firstId + this.count ? undefined : this.make(id);
  }

  /** Dialog `id` whether held or not (the bytes of its messages outlive it, as in the Store). */
  private make(id: DialogId): Dialog {
    const i: number = id;
    const messages = Array.from({ length: PER_DIALOG }, (_v, k) => (i * PER_DIALOG + k) as MessageId);
    return {
      id,
      callId: `call-${i}@fake.example`,
      method: 'INVITE',
      fromUser: this.fromDisplay(i) || `${1000 + (i % 9000)}`,
      fromHost: 'fake.example',
      fromDisplay: this.fromDisplay(i),
      toUser: `${2000 + (i % 7000)}`,
      toHost: 'fake.example',
      toDisplay: '',
      ruri: `sip:${2000 + (i % 7000)}@fake.example`,
      src: this.caller(i) + ':5060',
      dst: '10.0.0.1:5060',
      transport: 'UDP',
      messages,
      messageCount: messages.length,
      start: this.ts(i * PER_DIALOG),
      end: this.ts(i * PER_DIALOG + PER_DIALOG - 1),
      state: STATES[i % STATES.length]!,
      xCallId: i % 2 === 0 ? `x-${i >> 1}` : `x-${(i - 1) >> 1}`,
      userAgent: 'FakePhone/1.0',
      reason: '',
    };
  }

  message(j: MessageId): SipMessage {
    const i = Math.floor(j / PER_DIALOG);
    const step = SCRIPT[j % PER_DIALOG]!;
    const caller = this.caller(i);
    return {
      id: j,
      dialog: i as DialogId,
      frame: j + 1,
      ts: this.ts(j),
      src: step.fromCaller ? caller : '10.0.0.1',
      sport: 5060,
      dst: step.fromCaller ? '10.0.0.1' : caller,
      dport: 5060,
      transport: 'UDP',
      method: step.method,
      status: step.status,
      cseq: step.cseq,
      cseqMethod: step.cseq === 2 ? 'BYE' : step.method === 'ACK' ? 'ACK' : 'INVITE',
      hasSdp: step.sdp,
      retrans: false,
      ref: { inFile: false, offset: 0, length: 0 },
    };
  }

  /** Made-up messages came in no frames: saves synthesize them. */
  messageFrames(): FrameLocation[] {
    return [];
  }

  frameBytes(): Buffer {
    return Buffer.alloc(0);
  }

  messageBytes(j: MessageId): Buffer {
    const m = this.message(j);
    const d = this.make(m.dialog);
    const step = SCRIPT[j % PER_DIALOG]!;
    const first = m.status === 0 ? `${m.method} ${d.ruri} SIP/2.0` : `SIP/2.0 ${m.status} ${step.reason}`;
    const from = d.fromDisplay === '' ? `<sip:${d.fromUser}@fake.example>` : `"${d.fromDisplay}" <sip:${d.fromUser}@fake.example>`;
    const body = step.sdp ? 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n' : '';
    const headers = [
      first,
      `Via: SIP/2.0/UDP ${m.src}:5060;branch=z9hG4bK${j}`,
      `From: ${from};tag=a${m.dialog}`,
      `To: <sip:${d.toUser}@fake.example>${j % PER_DIALOG === 0 ? '' : ';tag=b' + m.dialog}`,
      `Call-ID: ${d.callId}`,
      `CSeq: ${m.cseq} ${m.cseqMethod}`,
      `X-Call-ID: ${d.xCallId}`,
      `Content-Length: ${body.length}`,
    ];
    return Buffer.from(headers.join('\r\n') + '\r\n\r\n' + body);
  }

  messageView(j: MessageId): MessageView {
    return buildMessageView(this.message(j), parseSipMessage(this.messageBytes(j)));
  }

  /** Drops every dialog, as F5 does; later ones are numbered on. */
  clear(): void {
    this.firstId = (this.firstId + this.count) as DialogId;
    this.count = 0;
    this.version++;
  }

  headerMask(): number { return 0; }
  hasOtherHeader(): boolean { return false; }
  identityMatches(): boolean { return false; }

  addressMatcher(test: (ip: string) => boolean, side: 'src' | 'dst' | 'any'): (id: DialogId) => boolean {
    return (i) => (side !== 'src' && test('10.0.0.1')) || (side !== 'dst' && test(this.caller(i)));
  }

  relatedDialogs(id: DialogId): DialogId[] {
    const first = id - (id % 2);
    return [first, first + 1].filter((k) => k !== id && this.dialog(k as DialogId) !== undefined) as DialogId[];
  }

  stats(): StoreStats {
    return { frames: this.messageCount(), messages: this.messageCount(), dialogs: this.count, skipped: {} };
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private caller(i: number): string {
    return `192.168.${(i >> 8) & 255}.${i & 255}`;
  }

  private ts(j: number): bigint {
    return T0 + BigInt(j) * 250_000_000n;
  }
}
