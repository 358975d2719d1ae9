import type { Datagram } from '../model/datagram.js';
import type { Frame } from '../model/frame.js';
import { FrameArena, type ArenaSlot } from './frame-arena.js';
import { readRtpHeader } from './rtp.js';
import { sdpEndpoints } from './sdp-endpoints.js';

/** One kept media packet: the frame it came in, and where its UDP payload lies. */
export interface MediaPacket {
  /** Absolute dialog index (Dialog.index) the packet's endpoint was announced by. */
  dialog: number;
  ts: bigint;
  linktype: number;
  origLen: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  frame: ArenaSlot;
  /** The UDP payload: inside the frame's slot, or a slot of its own when it was reassembled. */
  payload: ArenaSlot;
}

/** Packets of one RTP stream (one direction, one SSRC, one payload type) seen for a dialog. */
export interface RtpStreamCount {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  ssrc: number;
  payloadType: number;
  packets: number;
}

/**
 * What -r keeps: learns media endpoints from the SDP of each dialog (offer and answer), then
 * copies the frames of UDP datagrams sent to or from one of them into an arena, attributed to
 * that dialog, and counts RTP packets per stream. An endpoint announced again by a later dialog
 * belongs to that dialog from then on. RTCP is kept when it uses the RTP port + 1.
 */
export class MediaStore {
  private readonly arena = new FrameArena();
  /** "address|port" → absolute dialog index. */
  private readonly endpoints = new Map<string, number>();
  /** Ports of the endpoints, so most datagrams are turned away without building a key. */
  private readonly ports = new Set<number>();
  private readonly byDialog = new Map<number, MediaPacket[]>();
  private readonly streamsByDialog = new Map<number, RtpStreamCount[]>();
  private count = 0;

  /** Packets kept so far. */
  get kept(): number {
    return this.count;
  }

  /** A SIP message of `dialog` carrying SDP: its m= endpoints (and RTCP ports) now belong to the dialog. */
  learn(dialog: number, sipPayload: Buffer): void {
    for (const e of sdpEndpoints(sipPayload)) {
      for (const port of [e.port, e.port + 1]) {
        this.endpoints.set(`${e.address}|${port}`, dialog);
        this.ports.add(port);
      }
    }
  }

  /** A non-SIP UDP datagram and its frame (valid only during this call): kept when an endpoint matches. */
  offer(d: Datagram, frame: Frame): boolean {
    if (d.transport !== 'UDP') return false;
    const dialog = this.dialogOf(d.dst, d.dport) ?? this.dialogOf(d.src, d.sport);
    if (dialog === undefined) return false;
    const slot = this.arena.append(frame.data);
    const within = offsetWithin(frame.data, d.payload);
    const packet: MediaPacket = {
      dialog, ts: frame.ts, linktype: frame.linktype, origLen: frame.origLen,
      src: d.src, sport: d.sport, dst: d.dst, dport: d.dport,
      frame: slot,
      payload: within < 0 ? this.arena.append(d.payload) : { chunk: slot.chunk, offset: slot.offset + within, length: d.payload.length },
    };
    let list = this.byDialog.get(dialog);
    if (!list) this.byDialog.set(dialog, (list = []));
    list.push(packet);
    this.count++;
    this.countRtp(packet, d.payload);
    return true;
  }

  /** Kept packets of a dialog (absolute index), in arrival order. */
  packets(dialog: number): readonly MediaPacket[] {
    return this.byDialog.get(dialog) ?? [];
  }

  /** RTP streams of a dialog, in order of their first packet. */
  streams(dialog: number): readonly RtpStreamCount[] {
    return this.streamsByDialog.get(dialog) ?? [];
  }

  /** The packet's frame as captured (link type `p.linktype`). */
  frameBytes(p: MediaPacket): Buffer {
    return this.arena.read(p.frame);
  }

  /** The packet's UDP payload. */
  payloadBytes(p: MediaPacket): Buffer {
    return this.arena.read(p.payload);
  }

  private dialogOf(address: string, port: number): number | undefined {
    return this.ports.has(port) ? this.endpoints.get(`${address}|${port}`) : undefined;
  }

  private countRtp(p: MediaPacket, payload: Buffer): void {
    const rtp = readRtpHeader(payload);
    if (typeof rtp === 'string') return;
    let streams = this.streamsByDialog.get(p.dialog);
    if (!streams) this.streamsByDialog.set(p.dialog, (streams = []));
    const found = streams.find((s) => s.ssrc === rtp.ssrc && s.payloadType === rtp.payloadType &&
      s.sport === p.sport && s.dport === p.dport && s.src === p.src && s.dst === p.dst);
    if (found) found.packets++;
    else streams.push({ src: p.src, sport: p.sport, dst: p.dst, dport: p.dport, ssrc: rtp.ssrc, payloadType: rtp.payloadType, packets: 1 });
  }
}

/** Where `part` starts inside `whole` when it is a view of it, else -1. */
function offsetWithin(whole: Buffer, part: Buffer): number {
  if (part.buffer !== whole.buffer) return -1;
  const off = part.byteOffset - whole.byteOffset;
  return off >= 0 && off + part.length <= whole.length ? off : -1;
}
