import { openSync, readSync, closeSync } from 'node:fs';
import type { FrameSource } from '../model/frame.js';
import { InputError } from '../model/errors.js';
import { openFile } from '../source/file-source.js';
import { openStdin } from '../source/stdin-source.js';
import { openLive } from '../source/live-pcap.js';
import { openTzsp } from '../source/tzsp-listen.js';
import { openTextDump, looksLikeTextDump } from '../source/text-dump.js';
import type { Options } from './options.js';

/** Picks the source the options ask for: a file (pcap, pcapng, gzip or text dump), stdin, TZSP, or libpcap. */
export async function openInput(opts: Options): Promise<FrameSource> {
  if (opts.inputs.length > 1) throw new InputError('one -I input at a time (merge files with: mergecap -w all.pcap a.pcap b.pcap)');
  const input = opts.inputs[0];
  if (input === '-') return openStdin(process.stdin);
  if (input !== undefined) return looksLikeTextDump(head(input)) ? openTextDump(input) : openFile(input);
  if (opts.tzsp) return openTzsp(opts.tzsp);
  return openLive({ device: opts.device, bpf: opts.bpf, bufferSize: opts.bufferBytes });
}

/** The first bytes of a file, to tell a text dump from a capture before choosing a reader. */
function head(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return Buffer.alloc(0); // openFile reports why the file cannot be opened
  }
  try {
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    closeSync(fd);
  }
}
