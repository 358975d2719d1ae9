import type { Datagram, UdpView } from '../model/datagram.js';
import type { Frame } from '../model/frame.js';
import type { OutputCounters } from '../model/status.js';

/**
 * An output fed beside the decoder: the -O capture file, HEP forwarding. The pipeline hands
 * every frame read to frame(), and every datagram the store kept as a SIP message to message();
 * both are only valid during the call. A sink never throws on a write error: it counts it and
 * reports it through status() (and the warn callback it was created with).
 */
export interface OutputSink {
  frame?(f: Frame): void;
  /** The source's link type, when it is known before the first frame (a live capture). */
  opened?(linktype: number): void;
  message?(d: Datagram): void;
  /** An RTCP packet the media plane read for the dialog with this Call-ID (it reaches no message sink). */
  rtcp?(u: UdpView, callId: string): void;
  /** A promise while the sink is backed up (a paced -H queue is full): the source waits for it. */
  backlog?(): Promise<void> | undefined;
  /** Counters for the header and the headless summary. */
  status(): OutputCounters;
  /** SIGUSR1: close the file and open it again (after logrotate moved it). */
  reopen?(): void;
  /** Flushes and releases; safe to call more than once. */
  close(): void;
}
