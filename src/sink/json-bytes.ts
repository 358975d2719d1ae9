import { safeJsonText } from './unsafe-text.js';

/**
 * JSON text written straight into Buffers, for the headless output's 100k-line batches: building
 * each line as a string, joining a batch and encoding it again made ~220 MB of garbage on
 * big100k. Printable ASCII (nearly every string a packet gives) is copied a char at a time, as a
 * buf.write per field is a call into C++ each; anything else goes through safeJsonText, so the
 * bytes are those of safeJson.
 */
export class JsonBytes {
  private buf: Buffer;
  private off = 0;

  /** size: the bytes a batch usually takes (more grows the buffer). */
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** JSON the caller knows is printable ASCII (names, punctuation, numbers, times). */
  raw(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let off = this.off;
    for (let i = 0; i < s.length; i++) buf[off++] = s.charCodeAt(i);
    this.off = off;
  }

  /** The content of a JSON string (no quotes), escaped as safeJson escapes it. */
  text(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let off = this.off;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.json(safeJsonText(s));
        return;
      }
      buf[off++] = c;
    }
    this.off = off;
  }

  /** What was written since the last clear(): a view of the buffer, valid until the next write. */
  view(): Buffer {
    return this.buf.subarray(0, this.off);
  }

  /** Starts again at the start of the same buffer (once what view() gave is written out). */
  clear(): void {
    this.off = 0;
  }

  /** `,"name":"value"`: a string field after the first of an object (name: plain ASCII). */
  string(name: string, value: string): void {
    this.raw(',"');
    this.raw(name);
    this.raw('":"');
    this.text(value);
    this.raw('"');
  }

  /** JSON text of any content, already escaped (safeJson's). */
  json(s: string): void {
    this.room(Buffer.byteLength(s, 'utf8'));
    this.off += this.buf.write(s, this.off, 'utf8');
  }

  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.off + n));
    this.buf.copy(grown, 0, 0, this.off);
    this.buf = grown;
  }
}
