import { createRequire } from 'node:module';
import { InputError } from '../model/errors.js';

/** The part of node_pcap's native binding (pcap 3.1.0, build/Release/pcap_binding.node) sipscope uses. */
export interface NativeSession {
  open_live(device: string, filter: string, bufferSize: number, snaplen: number, dumpFile: string,
    onPacket: () => void, monitor: boolean, timeoutMs: number, onWarning: (w: string) => void, promisc: boolean): string;
  /** pcap_open_offline on a path, then pcap_compile + pcap_setfilter of `filter` on the file's link type. */
  open_offline(path: string, filter: string, bufferSize: number, snaplen: number, dumpFile: string,
    onPacket: () => void, monitor: boolean, timeoutMs: number, onWarning: (w: string) => void, promisc: boolean): string;
  /** Delivers every packet ready now (offline: to the end of the file) through onPacket; -1 on error, -2 once close() took effect. */
  dispatch(data: Buffer, header: Buffer): number;
  close(): void;
  stats(): { ps_recv: number; ps_drop: number; ps_ifdrop: number };
}

export interface PcapBinding {
  PcapSession: new () => NativeSession;
}

/** The optional pcap module's binding; `needs` says what the user asked for that needs it. */
export function loadPcapBinding(needs: string): PcapBinding {
  try {
    const load = createRequire(import.meta.url);
    return load('pcap/build/Release/pcap_binding.node') as PcapBinding;
  } catch {
    throw new InputError(`${needs} needs libpcap: install libpcap-dev (apt-get install libpcap-dev) and run npm rebuild pcap (see man sipscope, INSTALLATION)`);
  }
}
