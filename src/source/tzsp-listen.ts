import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { InputError } from '../model/errors.js';
import type { FrameSink, FrameSource, SourceEnd } from '../model/frame.js';
import { decodeTzsp } from './tzsp.js';
import { parseEndpoint } from './listen-spec.js';

export const TZSP_PORT = 37008;

const LINKTYPE_ETHERNET = 1;
/** Link types a TZSP sensor may send that the decoder can use; 802.11 variants are skipped. */
const USABLE = new Set([LINKTYPE_ETHERNET, 101 /* raw IP */]);

export interface TzspSource extends FrameSource {
  /** Datagrams that were not TZSP packet frames or carried an unusable link type. */
  skipped(): number;
}

export interface ListenAddress {
  address: string;
  port: number;
}

/** 'udp:ADDR:PORT', 'udp:ADDR', 'udp:[V6ADDR]:PORT' (also without 'udp:'); undefined when malformed. */
export function parseListenSpec(spec: string): ListenAddress | undefined {
  const at = parseEndpoint(spec, TZSP_PORT, ['udp']);
  return at && { address: at.address, port: at.port };
}

/**
 * Receives TZSP (MikroTik "packet sniffer" streaming) on a UDP socket and yields the carried
 * frames. TZSP's optional timestamp tag is a bare 32-bit number without a defined unit or
 * epoch, so frames are stamped with their arrival time, to the microsecond.
 */
export function openTzsp(spec: string): TzspSource {
  let socket: dgram.Socket | undefined;
  let skipped = 0;
  return {
    name: spec,
    live: true,
    skipped: () => skipped,
    stop: () => {
      socket?.close();
      socket = undefined;
    },
    start(sink: FrameSink): Promise<SourceEnd> {
      const at = parseListenSpec(spec);
      if (!at) return Promise.reject(new InputError(`invalid listen address '${spec}': expected udp:ADDR:PORT`));
      const sock = dgram.createSocket({ type: isIPv6(at.address) ? 'udp6' : 'udp4', reuseAddr: false });
      socket = sock;
      let frames = 0;
      sock.on('message', (msg) => {
        const inner = decodeTzsp(msg);
        if (typeof inner === 'string' || !USABLE.has(inner.linktype)) {
          skipped++;
          return;
        }
        sink.frame({ index: ++frames, ts: arrivalNs(), linktype: inner.linktype, data: inner.data, origLen: inner.data.length, fileOffset: -1 });
      });
      return new Promise<SourceEnd>((resolve, reject) => {
        sock.on('error', (e: NodeJS.ErrnoException) => {
          sock.close();
          socket = undefined;
          reject(new InputError(`cannot listen on ${spec}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`));
        });
        sock.once('close', () => resolve({ frames }));
        // Sensors (MikroTik) send Ethernet frames: -O starts an Ethernet pcap at once (raw IP frames are converted).
        sock.bind(at.port, at.address, () => sink.opened?.(LINKTYPE_ETHERNET));
      });
    },
  };
}

function arrivalNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}
