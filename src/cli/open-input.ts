import type { FrameSource } from '../model/frame.js';
import { InputError } from '../model/errors.js';
import { openFile } from '../source/file-source.js';
import { openStdin } from '../source/stdin-source.js';
import { openLive } from '../source/live-pcap.js';
import type { Options } from './options.js';

/** Picks the source the options ask for: a file (pcap, pcapng, gzip or text dump), stdin, TZSP, or libpcap. */
export async function openInput(opts: Options): Promise<FrameSource> {
  if (opts.inputs.length > 1) throw new InputError('one -I input at a time (merge files with: mergecap -w all.pcap a.pcap b.pcap)');
  const input = opts.inputs[0];
  if (input === '-') return openStdin(process.stdin);
  if (input !== undefined) return openFile(input);
  return openLive({ device: opts.device, bpf: opts.bpf, bufferSize: opts.bufferBytes });
}
