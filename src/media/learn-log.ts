import type { DialogId } from '../model/ids.js';
/**
 * What SIP messages taught the media plane before it had any media to match: a capture's SIP can
 * come long before its first RTP packet (or a capture has none), and learning at once costs a
 * hash-table probe per SDP endpoint and a record per dialog that nothing may ever read. The log
 * keeps each lesson in a few ints instead (~8 bytes a message, ~20 more per announced m= line),
 * in arrival order, and hands them back for the plane to learn, in that order, when it first needs
 * what it learnt: the plane's state is then what learning at once would have made it.
 *
 * A lesson the ints cannot hold exactly (a dialog number, port or address count past their
 * fields) is refused: the plane then replays the log and learns from there on at once.
 */
import type { SdpRead, SdpSection, SdpShape } from '../sip/sdp-scan.js';
import { flatCopy } from '../sip/tokens.js';
import { announces } from './media-map.js';

const PAGE_BITS = 16;
const PAGE_INTS = 1 << PAGE_BITS;
/** Ints the log holds in all (256 MiB); past it a lesson is refused. */
const MAX_INTS = 1 << 26;
/** Addresses are 16-bit ids (0: none). */
const MAX_ADDRESS_IDS = 0xffff;
const MAX_DIALOG = (1 << 29) - 1;
/** Ports (m=, a=rtcp) the log holds: the rtcp-mux flag sits above them. */
const MAX_PORT = (1 << 30) - 1;

/** Lesson flags, above the dialog number in a lesson's first int. */
const REOPEN = 1 << 29;
const ENDS = 1 << 30;
const HAS_SDP = 1 << 31;
const MUX = 1 << 30;
const NS_PER_S = 1_000_000_000n;

/** One lesson as learnMessage applies it (the SdpRead and its sections are valid during the call). */
export type Lesson = (dialog: DialogId, src: string, dst: string, reopen: boolean, ends: boolean, sdp: SdpRead, sinceS: number, sinceNs: number) => void;

export class LearnLog {
  private readonly pages: Int32Array[] = [];
  /** Ints used in each page but the last (a lesson that does not fit a page's tail starts the next). */
  private readonly ends: number[] = [];
  /** Next free int in the last page. */
  private used = PAGE_INTS;
  private total = 0;
  /** Announcement times (seconds) and shapes, one per SDP lesson and one per m= line announced, in order. */
  private readonly seconds: Float64Array[] = [];
  private secondsUsed = PAGE_INTS;
  private readonly shapes: SdpShape[] = [];
  /** Address → id; ids → address, a flat copy (a slice would keep its whole message alive). */
  private readonly ids = new Map<string, number>();
  private readonly addresses: string[] = [''];
  private lastAddress = '';
  private lastId = 0;

  /** Logs one lesson; false when it cannot be held exactly (nothing is logged then). */
  add(dialog: DialogId, src: string, dst: string, reopen: boolean, ends: boolean, sdp: SdpRead, ts: bigint): boolean {
    let n = 0;
    for (let k = 0; k < sdp.count; k++) {
      const m = sdp.sections[k]!;
      if (!announces(m)) continue;
      if (!isHeld(m.port) || !isHeld(m.rtcpPort)) return false;
      n++;
    }
    const length = 2 + (n > 0 ? 2 + 3 * n : 0);
    if (dialog < 0 || dialog > MAX_DIALOG || length > PAGE_INTS || this.total + length > MAX_INTS) return false;
    const from = this.id(src);
    const to = this.id(dst);
    if (from < 0 || to < 0) return false;
    // Addresses first: a lesson refused past the id bound leaves nothing behind but ids.
    for (let k = 0; k < sdp.count; k++) {
      const m = sdp.sections[k]!;
      if (announces(m) && (this.id(m.connection) < 0 || this.id(m.rtcpAddress) < 0)) return false;
    }
    if (this.used + length > PAGE_INTS) {
      if (this.pages.length > 0) this.ends.push(this.used);
      this.pages.push(new Int32Array(PAGE_INTS));
      this.total += PAGE_INTS - this.used;
      this.used = 0;
    }
    const ints = this.pages[this.pages.length - 1]!;
    let at = this.used;
    ints[at++] = dialog | (reopen ? REOPEN : 0) | (ends ? ENDS : 0) | (n > 0 ? HAS_SDP : 0);
    ints[at++] = from | (to << 16);
    if (n > 0) {
      ints[at++] = n;
      ints[at++] = Number(ts % NS_PER_S);
      this.second(Number(ts / NS_PER_S));
      for (let k = 0; k < sdp.count; k++) {
        const m = sdp.sections[k]!;
        if (!announces(m)) continue;
        ints[at++] = m.port;
        ints[at++] = m.rtcpPort | (m.rtcpMux ? MUX : 0);
        ints[at++] = this.id(m.connection) | (this.id(m.rtcpAddress) << 16);
        this.shapes.push(m.shape);
      }
    }
    this.used = at;
    this.total += length;
    return true;
  }

  /** Hands every lesson to `learn` in order, then forgets them. */
  replay(learn: Lesson): void {
    const sections: SdpSection[] = [];
    const sdp = { bodies: 1, count: 0, firstCount: 0, sections };
    let shape = 0;
    let second = 0;
    for (let p = 0; p < this.pages.length; p++) {
      const ints = this.pages[p]!;
      const end = p === this.pages.length - 1 ? this.used : this.ends[p]!;
      for (let at = 0; at < end;) {
        const head = ints[at++]!;
        const hosts = ints[at++]!;
        let sinceS = 0;
        let sinceNs = 0;
        sdp.count = 0;
        if ((head & HAS_SDP) !== 0) {
          const n = ints[at++]!;
          sinceNs = ints[at++]!;
          sinceS = this.seconds[second >>> PAGE_BITS]![second & (PAGE_INTS - 1)]!;
          second++;
          while (sections.length < n) sections.push({ shape: undefined as unknown as SdpShape, port: 0, connection: '', rtcpPort: 0, rtcpAddress: '', rtcpMux: false });
          for (let k = 0; k < n; k++) {
            const m = sections[k]!;
            m.port = ints[at++]!;
            const rtcp = ints[at++]!;
            m.rtcpPort = rtcp & MAX_PORT;
            m.rtcpMux = (rtcp & MUX) !== 0;
            const addresses = ints[at++]!;
            m.connection = this.addresses[addresses & 0xffff]!;
            m.rtcpAddress = this.addresses[addresses >>> 16]!;
            m.shape = this.shapes[shape++]!;
          }
          sdp.count = sdp.firstCount = n;
        }
        learn((head & MAX_DIALOG) as DialogId, this.addresses[hosts & 0xffff]!, this.addresses[hosts >>> 16]!, (head & REOPEN) !== 0, (head & ENDS) !== 0, sdp, sinceS, sinceNs);
      }
    }
    this.pages.length = 0;
    this.ends.length = 0;
    this.seconds.length = 0;
    this.shapes.length = 0;
    this.used = this.secondsUsed = PAGE_INTS;
    this.total = 0;
  }

  private second(s: number): void {
    if (this.secondsUsed === PAGE_INTS) {
      this.seconds.push(new Float64Array(PAGE_INTS));
      this.secondsUsed = 0;
    }
    this.seconds[this.seconds.length - 1]![this.secondsUsed++] = s;
  }

  /** The address's id ('' is 0), -1 past the bound. */
  private id(a: string): number {
    if (a === this.lastAddress) return this.lastId;
    if (a === '') return 0;
    let id = this.ids.get(a);
    if (id === undefined) {
      if (this.addresses.length > MAX_ADDRESS_IDS) return -1;
      id = this.addresses.length;
      const flat = flatCopy(a);
      this.addresses.push(flat);
      this.ids.set(flat, id);
    }
    this.lastAddress = a;
    this.lastId = id;
    return id;
  }
}

function isHeld(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= MAX_PORT;
}
