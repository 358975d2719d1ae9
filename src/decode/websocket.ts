import type { FrameRef, Transport } from '../model/datagram.js';
import type { DecodeContext } from './context.js';
import { joinRefs } from './frame-refs.js';
import { MAX_STREAM_MESSAGE, type StreamParser } from './stream-parser.js';

const FIN = 0x80;
const RSV1 = 0x40;
const OPCODE = 0x0f;
const MASKED = 0x80;
const LEN7 = 0x7f;
const LEN16 = 126;
const LEN64 = 127;
const CONTINUATION = 0;
const FIRST_CONTROL = 8;
const MASK_KEY = 4;

/** True when the HTTP header buf[off, headerEnd) asks for (request) or grants (101 response) a WebSocket upgrade. */
export function isWebSocketUpgrade(buf: Buffer, off: number, headerEnd: number): boolean {
  const head = buf.toString('latin1', off, headerEnd).toLowerCase();
  return /^upgrade[ \t]*:[ \t]*websocket/m.test(head) && (head.startsWith('get ') || head.startsWith('http/1.1 101'));
}

/** True when buf[off…] starts an HTTP request or response line that might upgrade to WebSocket. */
export function looksLikeHttpStart(buf: Buffer, off: number, end: number): boolean {
  if (end - off < 5) return false;
  const s = buf.toString('latin1', off, off + 5);
  return s === 'GET /' || s === 'HTTP/';
}

/**
 * RFC 6455 frames after the upgrade (RFC 7118 carries one SIP message per text or binary
 * message): unmasks client frames, joins continuation frames, ignores control frames, and
 * emits each data message with transport 'WS'.
 */
export class WebSocketParser implements StreamParser {
  need = 0;
  readonly keepsAcrossGaps = true;
  private parts: Buffer[] = [];
  /** The frames each part came in. */
  private partFrames: (readonly FrameRef[])[] = [];
  private partsLen = 0;

  /** transport: 'WSS' when the frames were decrypted from TLS. */
  constructor(private readonly transport: Transport = 'WS') {}

  consume(cx: DecodeContext, buf: Buffer, off: number, end: number): number {
    this.need = 0;
    let p = off;
    while (end - p >= 2) {
      const b0 = buf[p];
      const b1 = buf[p + 1];
      let len = b1 & LEN7;
      let header = 2;
      if (len === LEN16) {
        if (end - p < 4) return p;
        len = (buf[p + 2] << 8) | buf[p + 3];
        header = 4;
      } else if (len === LEN64) {
        if (end - p < 10) return p;
        len = buf.readUInt32BE(p + 2) === 0 ? buf.readUInt32BE(p + 6) : Infinity;
        header = 10;
      }
      const masked = (b1 & MASKED) !== 0;
      const maskAt = p + header;
      if (masked) header += MASK_KEY;
      if (len > MAX_STREAM_MESSAGE || this.partsLen + len > MAX_STREAM_MESSAGE) {
        cx.sink.skip('ws-message-too-big');
        this.reset();
        // Unknown (64-bit) lengths cannot be skipped reliably: drop what is here.
        return Number.isFinite(len) ? p + header + len : end;
      }
      if (end - p < header + len) {
        this.need = header + len;
        return p;
      }
      this.frame(cx, b0, buf, p + header, len, masked ? maskAt : -1);
      p += header + len;
    }
    return p;
  }

  private frame(cx: DecodeContext, b0: number, buf: Buffer, at: number, len: number, maskAt: number): void {
    const opcode = b0 & OPCODE;
    if (opcode >= FIRST_CONTROL) return;
    if ((b0 & RSV1) !== 0) {
      cx.sink.skip('ws-compressed');
      return;
    }
    if (opcode === CONTINUATION && this.parts.length === 0) {
      cx.sink.skip('ws-orphan-continuation');
      return;
    }
    if (opcode !== CONTINUATION && this.parts.length > 0) {
      cx.sink.skip('ws-incomplete');
      this.reset();
    }
    const fin = (b0 & FIN) !== 0;
    if (fin && this.parts.length === 0) {
      if (maskAt < 0) cx.emit(buf, at, at + len, this.transport);
      else cx.emitCopy(unmask(buf, at, len, maskAt), this.transport, buf, at, at + len);
      return;
    }
    this.parts.push(maskAt < 0 ? Buffer.from(buf.subarray(at, at + len)) : unmask(buf, at, len, maskAt));
    this.partFrames.push(cx.refsOf(buf, at, at + len));
    this.partsLen += len;
    if (fin) {
      const whole = Buffer.concat(this.parts, this.partsLen);
      const frames = joinRefs(this.partFrames);
      this.reset();
      cx.emitJoined(whole, this.transport, frames);
    }
  }

  private reset(): void {
    this.parts = [];
    this.partFrames = [];
    this.partsLen = 0;
  }
}

/** A fresh unmasked copy of buf[at, at + len) under the 4-byte key at buf[maskAt]. */
function unmask(buf: Buffer, at: number, len: number, maskAt: number): Buffer {
  const out = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) out[i] = buf[at + i] ^ buf[maskAt + (i & 3)];
  return out;
}
