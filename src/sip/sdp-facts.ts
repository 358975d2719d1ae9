/**
 * What the diagnosis rules read of an SDP body, per m= line: media, port, address, direction and
 * codec names. Small enough to keep for every SDP message of a capture (store/sdp-facts-table.ts),
 * so the rules never read a message back from the file and parse it again to learn it.
 */
import type { Direction, SdpMedia, SdpSession } from './sdp.js';

export interface SdpMediaFacts {
  /** "audio", "video", "image", … */
  readonly media: string;
  readonly port: number;
  /** The m= line's c= address (media level, else session level), '' when none. */
  readonly connection: string;
  readonly direction: Direction;
  /** codecNames() of the m= line. */
  readonly codecs: readonly string[];
}

export interface SdpFacts {
  readonly media: readonly SdpMediaFacts[];
}

/** Static payload types (RFC 3551) by number, for m= lines without a=rtpmap. */
const STATIC_CODECS: Readonly<Record<string, string>> = {
  '0': 'PCMU', '3': 'GSM', '4': 'G723', '8': 'PCMA', '9': 'G722', '13': 'CN', '15': 'G728', '18': 'G729', '34': 'H263',
};

/** Codec names of an m= line in offer order ("PCMU", "opus/48000/2" shown as "opus"); T.38's formats as written, lower case. */
export function codecNames(m: SdpMedia): string[] {
  if (m.media === 'image') return m.formats.map((f) => f.toLowerCase());
  return m.formats.map((f) => m.rtpmap.get(f)?.encoding || (Object.hasOwn(STATIC_CODECS, f) ? STATIC_CODECS[f] : '') || `PT ${f}`);
}

export function sdpFacts(s: SdpSession): SdpFacts {
  return {
    media: s.media.map((m) => ({ media: m.media, port: m.port, connection: m.connection, direction: m.direction, codecs: codecNames(m) })),
  };
}
