import { InputError } from '../model/errors.js';
import type { CaptureCounters, Frame, FrameSink, FrameSource, SourceEnd } from '../model/frame.js';
import { loadPcapBinding, type NativeSession } from './pcap-binding.js';

export interface LiveOptions {
  /** Interface name; 'any' captures on all of them. */
  device: string;
  /** BPF capture filter, '' for none. */
  bpf: string;
  /** Kernel ring buffer size in bytes (-B; the default is the capture.buffer setting). */
  bufferSize: number;
  snaplen?: number;
}

export interface LiveSource extends FrameSource {
  stats(): CaptureCounters;
}

const DEFAULT_SNAPLEN = 262_144; // libpcap's own maximum, as tcpdump and sngrep use
/** TPACKET_V3 hands over a partly filled block after this long, bounding the display delay. */
const BLOCK_TIMEOUT_MS = 50;
const POLL_MS = 20;

/** node_pcap's link type names; anything else comes as "Unknown linktype <DLT>". */
const LINKTYPES: Record<string, number> = {
  LINKTYPE_NULL: 0,
  LINKTYPE_ETHERNET: 1,
  LINKTYPE_RAW: 101,
  LINKTYPE_LINUX_SLL: 113,
  LINKTYPE_IEEE802_11_RADIO: 127,
};
/** DLT_RAW differs between platforms (12 or 14); the file format knows only LINKTYPE_RAW. */
const DLT_RAW = new Set([12, 14]);

export function linktypeOf(name: string): number {
  const known = LINKTYPES[name];
  if (known !== undefined) return known;
  const dlt = Number(/(\d+)$/.exec(name)?.[1] ?? -1);
  return DLT_RAW.has(dlt) ? 101 : dlt;
}

/**
 * Live capture through libpcap. The native binding is driven directly, on a timer: pcap.js's
 * createSession watches the socket with a uv poll that close() cannot release until one more
 * packet arrives, which would keep the process alive forever after stop().
 */
export function openLive(opts: LiveOptions): LiveSource {
  const device = opts.device || 'any';
  let native: OpenSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  let counters: CaptureCounters = { received: 0, dropped: 0, ifDropped: 0 };
  let finish: (() => void) | undefined;

  const readCounters = (): CaptureCounters => {
    if (native) {
      const s = native.session.stats();
      counters = { received: s.ps_recv, dropped: s.ps_drop, ifDropped: s.ps_ifdrop };
    }
    return counters;
  };

  const stop = (): void => {
    if (!native) return;
    readCounters();
    clearInterval(timer);
    native.onPacket = () => {};
    native.session.close();
    // close() only flags libpcap's loop; a last dispatch lets it free the handle when a packet is pending.
    native.session.dispatch(Buffer.alloc(0), Buffer.alloc(16));
    native = undefined;
    finish?.();
  };

  return {
    name: device,
    live: true,
    stats: readCounters,
    stop,
    async start(sink: FrameSink): Promise<SourceEnd> {
      const open = openSession(device, opts);
      native = open;
      const { linktype } = open;
      sink.opened?.(linktype);
      const data = Buffer.allocUnsafe(opts.snaplen ?? DEFAULT_SNAPLEN);
      const header = Buffer.alloc(16);
      let frames = 0;
      let failure: unknown;

      open.onPacket = () => {
        if (failure) return;
        // The binding copies the first 4 bytes of each field of struct pcap_pkthdr: on the
        // little-endian hosts we support that is the low half of tv_sec, valid until 2106.
        const caplen = Math.min(header.readUInt32LE(8), data.length);
        const frame: Frame = {
          index: ++frames,
          ts: BigInt(header.readUInt32LE(0)) * 1_000_000_000n + BigInt(header.readUInt32LE(4) * 1000),
          linktype,
          data: data.subarray(0, caplen),
          origLen: header.readUInt32LE(12),
          fileOffset: -1,
        };
        // An exception thrown inside the native callback would abort the process.
        try {
          sink.frame(frame);
        } catch (e) {
          failure = e;
        }
      };

      return new Promise<SourceEnd>((resolve, reject) => {
        finish = () => (failure ? reject(failure) : resolve({ frames }));
        timer = setInterval(() => {
          if (open.session.dispatch(data, header) === -1) {
            failure = new InputError(`capture on ${device} failed: the interface went down or away`);
          }
          if (failure) stop();
        }, POLL_MS);
      });
    },
  };
}

interface OpenSession {
  session: NativeSession;
  linktype: number;
  onPacket: () => void;
}

function openSession(device: string, opts: LiveOptions): OpenSession {
  const binding = loadPcapBinding('live capture');
  const session = new binding.PcapSession();
  const open: OpenSession = { session, linktype: 0, onPacket: () => {} };
  try {
    const type = session.open_live(device, opts.bpf, opts.bufferSize, opts.snaplen ?? DEFAULT_SNAPLEN, '',
      () => open.onPacket(), false, BLOCK_TIMEOUT_MS, () => {}, true);
    open.linktype = linktypeOf(type);
  } catch (e) {
    throw openError(device, opts.bpf, e instanceof Error ? e.message : String(e));
  }
  return open;
}

/** libpcap reports device and filter problems through the same call; tell them apart by message. */
export function openError(device: string, bpf: string, message: string): InputError {
  if (/permission|not permitted/i.test(message)) {
    return new InputError(`cannot capture on ${device}: permission denied; run with sudo or: sudo setcap cap_net_raw,cap_net_admin=eip $(which node)`);
  }
  if (/no such device|doesn't exist|not up|SIOC|socket:|device/i.test(message) || !bpf) {
    return new InputError(`cannot capture on ${device}: ${message} (list interfaces with: ip link)`);
  }
  return new InputError(`invalid capture filter '${bpf}': ${message}`);
}
