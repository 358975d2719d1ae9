import type { DatagramSink } from '../model/datagram.js';
import type { Frame } from '../model/frame.js';
import { DecodeContext } from './context.js';
import { REGISTRY } from './registry.js';
import type { TlsSecrets } from './tls-keys.js';

/**
 * Turns link-layer frames into Datagrams: one per UDP datagram, per SCTP user message, and per
 * application message cut out of a TCP or WebSocket stream; HEP-carried payloads come out with
 * the HEP addresses. Everything dropped is reported as sink.skip(reason); bad bytes never throw.
 *
 * A Datagram (and its payload) is only valid during sink.datagram(): the payload may be a view
 * of frame.data, which the source reuses. Copy what you keep. When fileOffset >= 0 the payload
 * lies unmodified at that offset of the capture file.
 */
export class Decoder {
  private readonly cx: DecodeContext;

  /** secrets: what TLS sessions are decrypted with (none: they are counted, not decoded). */
  constructor(sink: DatagramSink, secrets?: TlsSecrets) {
    this.cx = new DecodeContext(sink, REGISTRY, secrets);
  }

  push(frame: Frame): void {
    const cx = this.cx;
    cx.begin(frame);
    // A file reader's frame is read where its bytes lie: no view of them is made for it.
    const raw = frame.raw;
    const skip = raw !== undefined ? cx.link(frame.linktype, raw.bytes, raw.start, raw.end) : cx.link(frame.linktype, frame.data, 0, frame.data.length);
    if (skip !== undefined) cx.sink.skip(skip, cx.detail);
  }

  /** End of input: delivers stream data held behind gaps and reports what stays incomplete. */
  flush(): void {
    const cx = this.cx;
    cx.fragments.flush();
    cx.sctp.flush();
    if (cx.frame !== undefined) cx.streams.flush(cx);
    cx.tls.flush(cx);
  }
}
