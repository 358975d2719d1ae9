import { execFileSync } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/** A classic pcap cut at a record boundary: the header and the first `records` records, then the rest. */
export function splitPcap(bytes: Buffer, records: number): [Buffer, Buffer] {
  let off = 24;
  for (let i = 0; i < records && off < bytes.length; i++) off += 16 + bytes.readUInt32LE(off + 8);
  return [bytes.subarray(0, off), bytes.subarray(off)];
}

/** A named pipe at `path` and a stream writing into it: sipscope reads it as a capture that is still arriving. */
export function fifoWriter(path: string): WriteStream {
  execFileSync('mkfifo', [path]);
  return createWriteStream(path);
}

/** Writes the last part and closes the pipe (the capture ends). */
export function endFeed(writer: WriteStream, rest: Buffer): Promise<void> {
  return new Promise<void>((resolve) => writer.end(rest, resolve));
}
