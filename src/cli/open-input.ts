import { openSync, readSync, closeSync } from 'node:fs';
import type { FrameSource } from '../model/frame.js';
import { InputError } from '../model/errors.js';
import { openFile } from '../source/file-source.js';
import { openStdin } from '../source/stdin-source.js';
import { openLive } from '../source/live-pcap.js';
import { openTzsp } from '../source/tzsp-listen.js';
import { openTextDump, looksLikeTextDump } from '../source/text-dump.js';
import { openHepListen, parseHepListen } from '../source/hep-listen.js';
import { mergeSources } from '../source/merged-source.js';
import { filterByBpf } from '../source/bpf-filter.js';
import type { Options } from './options.js';

/**
 * Picks the sources the options ask for: a file (pcap, pcapng, gzip or text dump), stdin, TZSP,
 * or libpcap; with -L the HEP listeners as well (alone, or beside -I / -d).
 */
export async function openInput(opts: Options): Promise<FrameSource> {
  if (opts.inputs.length > 1) throw new InputError('one -I input at a time (merge files with: mergecap -w all.pcap a.pcap b.pcap)');
  for (const spec of opts.hepListen) parseHepListen(spec); // a bad address fails before anything starts
  const sources: FrameSource[] = [];
  const local = localInput(opts);
  if (local) sources.push(local);
  if (opts.hepListen.length > 0) {
    sources.push(openHepListen({ specs: opts.hepListen, password: opts.hepPassword, receiveBuffer: Math.max(opts.bufferBytes, HEP_RECEIVE_BUFFER),
      checksums: opts.output !== '' || opts.rtp,
    }));
  }
  return mergeSources(sources);
}

/** A UDP receive buffer this large holds a few thousand messages: bursts from many agents at once. */
const HEP_RECEIVE_BUFFER = 4 << 20;

/**
 * The source of -I, -d or TZSP; undefined without one. stdin is opened only when the source
 * starts (the decoding thread reads descriptor 0 itself, so the main thread must not open it).
 */
export function localInput(opts: Options, stdin: () => NodeJS.ReadableStream = () => process.stdin): FrameSource | undefined {
  const input = opts.inputs[0];
  // The trailing BPF filter: libpcap applies it to a live capture; files and streams get it here.
  const filtered = (s: FrameSource): FrameSource => (opts.bpf ? filterByBpf(s, opts.bpf) : s);
  if (input === '-') return filtered(openStdin(stdin));
  if (input !== undefined) return filtered(looksLikeTextDump(head(input)) ? openTextDump(input) : openFile(input));
  if (opts.tzsp) return openTzsp(opts.tzsp);
  return opts.captureLocal ? openLive({ device: opts.device, bpf: opts.bpf, bufferSize: opts.bufferBytes }) : undefined;
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
