import type { SdpMode } from '../model/flow.js';
import type { MessageView, SdpMediaSummary } from '../model/message-view.js';
import { cellWidth, cutCells, elideStart } from './text-width.js';

/**
 * What an SDP body does to the call, as the arrow says it: the media direction when it is not
 * sendrecv (a hold is sendonly/inactive from the holder, recvonly back), `hold` for the RFC 2543
 * c=0.0.0.0 hold, `resume` for sendrecv after a hold, `T.38` when the media switched to fax.
 */
export type SdpChange = '' | 'sendonly' | 'recvonly' | 'inactive' | 'hold' | 'resume' | 'T.38';

/** The SDP of one ladder message: its m= lines and what they change. */
export interface FlowSdp {
  media: readonly SdpMediaSummary[];
  change: SdpChange;
}

/** What the earlier SDP of a dialog left behind, carried from message to message in capture order. */
export interface SdpCallState {
  held: boolean;
}

export function newSdpState(): SdpCallState {
  return { held: false };
}

/** The m= lines of every SDP part of a message. */
export function sdpMediaOf(view: MessageView): SdpMediaSummary[] {
  return view.parts.flatMap((p) => p.sdp ?? []);
}

const HELD: ReadonlySet<string> = new Set(['sendonly', 'recvonly', 'inactive']);

function isT38(m: SdpMediaSummary): boolean {
  return m.media === 'image' && m.port > 0 && m.codecs.some((c) => c.toLowerCase() === 't38');
}

/** Live media: a port, and not an image line (T.38 is judged apart). */
function active(media: readonly SdpMediaSummary[]): SdpMediaSummary[] {
  return media.filter((m) => m.port > 0 && m.media !== 'image');
}

/** The SDP of the next message of a dialog; `state` (the dialog's) moves on with it. */
export function flowSdp(media: readonly SdpMediaSummary[], state: SdpCallState): FlowSdp {
  const live = active(media);
  let change: SdpChange = '';
  if (live.length === 0 && media.some(isT38)) {
    change = 'T.38';
  } else if (media.some((m) => m.address === '0.0.0.0')) {
    change = 'hold';
  } else {
    const held = live.find((m) => HELD.has(m.direction));
    if (held !== undefined) change = held.direction as SdpChange;
    else if (state.held && live.length > 0) change = 'resume';
  }
  if (change === 'hold' || HELD.has(change)) state.held = true;
  else if (change === 'resume') state.held = false;
  return { media, change };
}

/** Cells below which an elided address says too little to be worth its room. */
const MIN_ADDRESS = 8;

/** "PCMA/8000" → "PCMA": the clock rate says nothing a reader of the ladder needs. */
function codecName(codec: string): string {
  const slash = codec.indexOf('/');
  return slash > 0 ? codec.slice(0, slash) : codec;
}

/** The m= line `first` mode names: the T.38 one after a switch, else the first live one. */
function primary(sdp: FlowSdp): SdpMediaSummary | undefined {
  if (sdp.change === 'T.38') return sdp.media.find(isT38);
  return active(sdp.media)[0] ?? sdp.media[0];
}

function endpoint(m: SdpMediaSummary): string {
  return m.address.includes(':') ? `[${m.address}]:${m.port}` : `${m.address}:${m.port}`;
}

/** "audio 10.0.0.1:4000 PCMA,PCMU,telephone-event sendonly" for `full` mode. */
function fullLine(m: SdpMediaSummary): string {
  const dir = m.direction === 'sendrecv' || m.media === 'image' ? '' : ` ${m.direction}`;
  return `${m.media} ${endpoint(m)} ${m.codecs.map(codecName).join(',')}${dir}`;
}

/**
 * The arrow text of a message with SDP, fitted to `room` cells: `INVITE (SDP)` (mode off, with the
 * change: `INVITE (SDP sendonly)`), `INVITE (10.23.1.52:16756 PCMA)` (first), every m= line (full).
 * When it does not fit, `first` loses the start of the address (the port and codec stay), `full`
 * its end.
 */
export function sdpLabel(label: string, sdp: FlowSdp | undefined, mode: SdpMode, room: number, ascii: boolean): string {
  const tag = sdp?.change ? ` ${sdp.change}` : '';
  const m = sdp === undefined ? undefined : primary(sdp);
  if (mode === 'off' || sdp === undefined || m === undefined) return firstFitting([`${label} (SDP${tag})`, `${label} (${tag.trimStart() || 'SDP'})`], room, ascii);
  if (mode === 'full') {
    const lines = sdp.media.map(fullLine).join('; ');
    return cutCells(`${label} (${lines}${sdp.change === 'resume' || sdp.change === 'hold' ? tag : ''})`, room, ascii);
  }
  const codec = sdp.change === 'T.38' ? '' : ` ${codecName(m.codecs[0] ?? '')}`.trimEnd();
  const rest = `${codec}${tag})`;
  const head = `${label} (`;
  const whole = `${head}${endpoint(m)}${rest}`;
  if (cellWidth(whole, ascii) <= room) return whole;
  // Narrower: the address loses its start (port and last octets stay), then goes; codec and change stay longest.
  const addressRoom = room - cellWidth(head, ascii) - cellWidth(rest, ascii);
  if (addressRoom >= MIN_ADDRESS) return `${head}${elideStart(endpoint(m), addressRoom, ascii)}${rest}`;
  return firstFitting([`${head}${rest.trimStart()}`, `${head}${tag.trimStart() || 'SDP'})`], room, ascii);
}

/** The first text that fits in `room` cells, else the last one cut. */
function firstFitting(texts: readonly string[], room: number, ascii: boolean): string {
  for (const t of texts) if (cellWidth(t, ascii) <= room) return t;
  return cutCells(texts[texts.length - 1]!, room, ascii);
}
