import type { FrameRef } from '../model/datagram.js';
import type { Frame } from '../model/frame.js';

/**
 * A buffer the decoder assembled from several frames (TCP segments, IP fragments): chunk k of
 * `buf` starts at starts[k] and came in the frames refs[k]. A message cut out of it came in
 * the frames of the chunks it overlaps, which is what a save writes for it.
 */
export interface Assembly {
  readonly buf: Buffer;
  readonly starts: readonly number[];
  readonly refs: readonly (readonly FrameRef[])[];
}

/** A message listing more frames than this is hostile (1-byte segments): its frames are not remembered. */
export const MAX_MESSAGE_FRAMES = 256;
export const NO_FRAMES: readonly FrameRef[] = [];

/** What a save needs of a frame after the source reused its bytes: where it lies in the file, or a copy. */
export function frameRef(f: Frame): FrameRef {
  return {
    ts: f.ts, linktype: f.linktype, caplen: f.data.length, origLen: f.origLen, fileOffset: f.fileOffset,
    data: f.fileOffset < 0 ? Buffer.from(f.data) : undefined,
  };
}

/** Both lists in order, without repeats (a frame carrying the end of one chunk and the start of the next); NO_FRAMES past the bound. */
export function joinRefs(lists: readonly (readonly FrameRef[])[]): readonly FrameRef[] {
  if (lists.length === 1) return lists[0]!.length > MAX_MESSAGE_FRAMES ? NO_FRAMES : lists[0]!;
  const out: FrameRef[] = [];
  for (const list of lists) {
    for (const r of list) {
      if (out[out.length - 1] === r) continue;
      if (out.length >= MAX_MESSAGE_FRAMES) return NO_FRAMES;
      out.push(r);
    }
  }
  return out;
}

/** The frames of the chunks that bytes [off, end) of the assembly overlap. */
export function framesIn(a: Assembly, off: number, end: number): readonly FrameRef[] {
  const { starts, refs } = a;
  let first = 0;
  while (first + 1 < starts.length && starts[first + 1]! <= off) first++;
  let last = first;
  while (last + 1 < starts.length && starts[last + 1]! < end) last++;
  return first === last ? refs[first]! : joinRefs(refs.slice(first, last + 1));
}

/** Every frame of the assembly. */
export function allFrames(a: Assembly): readonly FrameRef[] {
  return joinRefs(a.refs);
}
