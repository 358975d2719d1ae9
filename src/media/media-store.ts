import type { DialogId } from '../model/ids.js';
import type { Datagram } from '../model/datagram.js';
import type { Frame } from '../model/frame.js';
import { FrameArena, type ArenaSlot } from './frame-arena.js';

/** One kept media packet: the frame it came in, and where its UDP payload lies. */
export interface MediaPacket {
  /** Absolute dialog index (Dialog.index) the packet's endpoint was announced by. */
  dialog: DialogId;
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

/**
 * What -r keeps: the frames of UDP datagrams the media plane attributed to a dialog (RTP, RTCP,
 * UDPTL of its SDP endpoints), copied into an arena, per dialog in arrival order.
 */
export class MediaStore {
  private readonly arena = new FrameArena();
  private readonly byDialog = new Map<DialogId, MediaPacket[]>();
  private count = 0;

  /** Packets kept so far. */
  get kept(): number {
    return this.count;
  }

  /** Keeps a datagram of `dialog` (absolute index) with its frame (valid only during this call). */
  keep(dialog: DialogId, d: Datagram, frame: Frame): void {
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
  }

  /** Kept packets of a dialog (absolute index), in arrival order. */
  packets(dialog: DialogId): readonly MediaPacket[] {
    return this.byDialog.get(dialog) ?? [];
  }

  /** The packet's frame as captured (link type `p.linktype`). */
  frameBytes(p: MediaPacket): Buffer {
    return this.arena.read(p.frame);
  }

  /** The packet's UDP payload. */
  payloadBytes(p: MediaPacket): Buffer {
    return this.arena.read(p.payload);
  }
}

/** Where `part` starts inside `whole` when it is a view of it, else -1. */
export function offsetWithin(whole: Buffer, part: Buffer): number {
  if (part.buffer !== whole.buffer) return -1;
  const off = part.byteOffset - whole.byteOffset;
  return off >= 0 && off + part.length <= whole.length ? off : -1;
}
