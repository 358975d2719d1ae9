/**
 * DTMF: RFC 4733 telephone-events inside an RTP stream, and SIP INFO bodies
 * (application/dtmf-relay "Signal=5\r\nDuration=160", application/dtmf "5").
 */
import type { DtmfEvent } from '../model/media.js';

/** Events kept per stream or dialog; a key-pad session has far fewer. */
export const MAX_DTMF_EVENTS = 32;
const EVENT_NAMES = '0123456789*#ABCD';
const FLASH = 16;

export function dtmfDigit(event: number): string {
  if (event < EVENT_NAMES.length) return EVENT_NAMES[event]!;
  return event === FLASH ? 'flash' : `event ${event}`;
}

/**
 * RFC 4733 §2.5: one event spans packets with the same RTP timestamp; its duration grows and the
 * end bit (sent up to three times) closes it. Allocates only when a new event starts.
 */
export class Rfc4733Tracker {
  readonly events: DtmfEvent[] = [];
  private timestamp = -1;
  private event = -1;

  /** A telephone-event payload (4 bytes at `off`) of an RTP packet with `timestamp`, clock in Hz. */
  add(ts: bigint, buf: Buffer, off: number, end: number, timestamp: number, clock: number): void {
    if (end - off < 4) return;
    const event = buf[off]!;
    const ended = (buf[off + 1]! & 0x80) !== 0;
    const volume = buf[off + 1]! & 0x3f;
    const durationMs = (buf.readUInt16BE(off + 2) * 1000) / (clock || 8000);
    let current: DtmfEvent | undefined = this.events[this.events.length - 1];
    if (timestamp !== this.timestamp || event !== this.event) {
      this.timestamp = timestamp;
      this.event = event;
      if (this.events.length >= MAX_DTMF_EVENTS) {
        current = undefined;
      } else {
        current = { digit: dtmfDigit(event), ts, durationMs, volume, ended, source: 'rfc4733' };
        this.events.push(current);
        return;
      }
    }
    if (current && current.source === 'rfc4733' && !current.ended) {
      current.durationMs = durationMs;
      current.ended = ended;
    }
  }
}

const DTMF_RELAY = /^\s*application\/dtmf-relay/i;
const DTMF_PLAIN = /^\s*application\/dtmf\s*(;|$)/i;

/** The key an INFO body carries, or undefined when it carries none. */
export function infoDtmf(contentType: string, body: string, ts: bigint): DtmfEvent | undefined {
  let signal = '';
  let durationMs = 0;
  if (DTMF_RELAY.test(contentType)) {
    signal = /^\s*Signal\s*=\s*(\S+)/im.exec(body)?.[1] ?? '';
    durationMs = Number(/^\s*Duration\s*=\s*(\d+)/im.exec(body)?.[1] ?? 0);
  } else if (DTMF_PLAIN.test(contentType)) {
    signal = body.trim();
  } else {
    return undefined;
  }
  if (signal === '') return undefined;
  // Some phones send the event number (e.g. 11 for #) rather than the key.
  const digit = /^\d+$/.test(signal) && Number(signal) > 9 ? dtmfDigit(Number(signal)) : signal.slice(0, 8);
  return { digit, ts, durationMs, volume: -1, ended: true, source: 'info' };
}
