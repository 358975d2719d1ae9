import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { isIP } from 'node:net';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { InputError } from '../model/errors.js';
import type { FrameSink, FrameSource, SourceEnd } from '../model/frame.js';
import { describeIoError } from './byte-reader.js';
import { synthFrame, type SynthMessage } from './synth-frame.js';

/*
 * Plain-text captures: `tcpdump -A` (any of -nn, -v…-vvv, -l, -s0, -tt, -tttt) and
 * `ngrep -W byline` (with or without -t / -T / -q). Each SIP message found is rebuilt and
 * wrapped by synthFrame in a real IP + UDP/TCP packet, so the pipeline treats it like a capture.
 *
 * Both tools print CR LF as a bare line break (ngrep shows the CR as a trailing '.'), so
 * every line break is rebuilt as CR LF, as SIP requires; other non-printable bytes are lost.
 * Times are read as local time, as both tools print them. A time without a date (plain
 * tcpdump) is placed on 1970-01-01, moving to the next day when the clock wraps past
 * midnight; messages without any time (ngrep without -t) get 1 µs steps from the epoch.
 * Addresses must be numeric (tcpdump -n); other packets are passed over.
 */

const TCPDUMP_HEADER = /^(?:(?:(\d{4})-(\d\d)-(\d\d) )?(\d\d):(\d\d):(\d\d)|(\d{9,11}))\.(\d{6,9}) IP6? (.*)$/;
const TCPDUMP_ADDRESSES = /(\S+)\.(\w+) > (\S+)\.(\w+): (.*)$/;
const NGREP_HEADER = /^([UT]) (?:(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6,9}) |\+(\d+)\.(\d{6,9}) )?(\S+):(\d+) -> (\S+):(\d+)(?: \[[^\]]*\])?(?: #\d+)?$/;
const NGREP_PREAMBLE = /^(?:interface|filter|match): /;
const NGREP_PROGRESS = /^#+$/;
// Known methods only: header bytes printed before the payload may end in capital letters.
const SIP_START = /(?:(?:INVITE|ACK|BYE|CANCEL|OPTIONS|REGISTER|PRACK|SUBSCRIBE|NOTIFY|PUBLISH|INFO|REFER|MESSAGE|UPDATE) \S+ SIP\/2\.0\r\n|SIP\/2\.0 \d{3} )/;
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)/im;
const WELL_KNOWN_PORTS: Record<string, number> = { sip: 5060, 'sip-tls': 5061 };
const HALF_DAY_NS = 43_200_000_000_000n;
const DAY_NS = 2n * HALF_DAY_NS;
/** Lines read between yields to the event loop. */
const LINES_PER_SLICE = 20000;

/** One message recovered from a text dump. */
export type DumpedMessage = SynthMessage & { ts: bigint };

/** True when the first bytes of a file look like tcpdump -A or ngrep output. */
export function looksLikeTextDump(head: Buffer): boolean {
  const lines = head.toString('latin1').split('\n').slice(0, 4);
  return lines.some((l) => TCPDUMP_HEADER.test(l) || NGREP_HEADER.test(l) || NGREP_PREAMBLE.test(l));
}

interface Block {
  tool: 'tcpdump' | 'ngrep';
  /** Undefined until tcpdump -v's second header line gave the addresses. */
  addr?: Omit<SynthMessage, 'payload'>;
  ts: bigint;
  lines: string[];
}

/** Text kept per packet block: more than any message the decoder keeps (1 MiB), less than a hostile dump can hold. */
const MAX_BLOCK_CHARS = 2 * 1024 * 1024;

/**
 * Reads a text dump line by line (so a dump of any size streams through), yielding each SIP
 * message as its packet block ends. A block longer than MAX_BLOCK_CHARS is not kept: it is
 * counted in `oversized`.
 */
export class TextDumpReader {
  oversized = 0;
  private readonly clock = new DumpClock();
  private block: (Block & { chars: number }) | undefined;

  *line(raw: string): Generator<DumpedMessage> {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = headerOf(line, this.clock);
    const block = this.block;
    if (header) {
      yield* this.end();
      this.block = { ...header, chars: 0 };
    } else if (block?.tool === 'tcpdump' && !block.addr && line.startsWith(' ')) {
      block.addr = tcpdumpAddresses(line);
    } else if (NGREP_PROGRESS.test(line)) {
      yield* this.end();
    } else if (block && block.chars <= MAX_BLOCK_CHARS) {
      block.chars += line.length + 2;
      if (block.chars > MAX_BLOCK_CHARS) {
        this.oversized++;
        block.lines = [];
      } else {
        block.lines.push(line);
      }
    }
  }

  /** End of input (or of a block): the messages of the block read so far. */
  *end(): Generator<DumpedMessage> {
    const block = this.block;
    this.block = undefined;
    if (block && block.chars <= MAX_BLOCK_CHARS) yield* messagesOf(block);
  }
}

/** Every SIP message in a text dump held in memory, in order. */
export function* parseTextDump(text: string): Generator<DumpedMessage> {
  const reader = new TextDumpReader();
  for (const raw of text.split('\n')) yield* reader.line(raw);
  yield* reader.end();
}

function headerOf(line: string, clock: DumpClock): Block | undefined {
  let m = TCPDUMP_HEADER.exec(line);
  if (m) {
    const [, y, mo, d, h, mi, s, epoch, frac, rest] = m;
    const ts = epoch ? BigInt(epoch) * 1_000_000_000n + fractionNs(frac!) : clock.at(y, mo, d, h!, mi!, s!, frac!);
    const block: Block = { tool: 'tcpdump', ts, lines: [] };
    const addr = tcpdumpAddresses(rest!);
    if (addr) block.addr = addr;
    return block;
  }
  m = NGREP_HEADER.exec(line);
  if (m) {
    const [, proto, y, mo, d, h, mi, s, frac, deltaS, deltaFrac, src, sport, dst, dport] = m;
    const ts = h ? clock.at(y, mo, d, h, mi!, s!, frac!)
      : deltaS ? clock.after(BigInt(deltaS) * 1_000_000_000n + fractionNs(deltaFrac!))
        : clock.after(1000n);
    return { tool: 'ngrep', ts, lines: [], addr: endpoints(src!, sport!, dst!, dport!, proto === 'T' ? 'TCP' : 'UDP') };
  }
  return undefined;
}

function tcpdumpAddresses(text: string): Block['addr'] {
  const m = TCPDUMP_ADDRESSES.exec(text);
  if (!m) return undefined;
  const rest = m[5]!;
  const transport = rest.includes('Flags [') ? 'TCP' : /\b(?:UDP|SIP)\b/.test(rest) ? 'UDP' : undefined;
  return transport && endpoints(m[1]!, m[2]!, m[3]!, m[4]!, transport);
}

function endpoints(src: string, sport: string, dst: string, dport: string, transport: 'UDP' | 'TCP'): Block['addr'] {
  const sp = portOf(sport);
  const dp = portOf(dport);
  if (!isIP(src) || !isIP(dst) || sp === undefined || dp === undefined) return undefined;
  return { src, sport: sp, dst, dport: dp, transport };
}

function portOf(text: string): number | undefined {
  const n = /^\d+$/.test(text) ? Number(text) : WELL_KNOWN_PORTS[text];
  return n !== undefined && n < 65536 ? n : undefined;
}

/** Rebuilds the payload text of a block and cuts it into SIP messages. */
function* messagesOf(block: Block): Generator<DumpedMessage> {
  if (!block.addr) return;
  // tcpdump -v on port 5060 first prints its own tab-indented decode of the message.
  const dumpStart = block.tool === 'tcpdump' ? block.lines.findIndex((l) => !l.startsWith('\t')) : 0;
  const lines = dumpStart < 0 ? [] : block.lines.slice(dumpStart);
  const text = block.tool === 'ngrep'
    ? lines.map((l) => (l.endsWith('.') ? `${l.slice(0, -1)}\r\n` : `${l}\n`)).join('')
    : lines.join('\r\n');
  let at = text.search(SIP_START);
  while (at >= 0 && at < text.length) {
    const { message, end } = cutMessage(text, at);
    yield { ...block.addr, ts: block.ts, payload: Buffer.from(message, 'latin1') };
    // Several messages may share one TCP segment, with CR LF keep-alives between them.
    const next = /^(?:\r\n)*/.exec(text.slice(end))![0].length + end;
    at = SIP_START.exec(text.slice(next, next + 64))?.index === 0 ? next : -1;
  }
}

/**
 * The message starting at `from`: its header block plus Content-Length bytes of body. Without
 * Content-Length it runs to the end of the packet, less the blank lines the tools print after it.
 */
function cutMessage(text: string, from: number): { message: string; end: number } {
  const headerEnd = text.indexOf('\r\n\r\n', from);
  const length = headerEnd < 0 ? null : CONTENT_LENGTH.exec(text.slice(from, headerEnd));
  if (length) {
    const end = Math.min(text.length, headerEnd + 4 + Number(length[1]));
    return { message: text.slice(from, end), end };
  }
  const rest = text.slice(from).replace(/(?:\r\n)+$/, '');
  return { message: rest + (rest.includes('\r\n\r\n') ? '\r\n' : '\r\n\r\n'), end: text.length };
}

function fractionNs(digits: string): bigint {
  return BigInt(digits.padEnd(9, '0').slice(0, 9));
}

/** Turns the printed times into ns since the epoch; see the file comment for missing dates. */
class DumpClock {
  private last = 0n;
  private dayOffset = 0n;
  private lastTimeOfDay = -1n;

  at(y: string | undefined, mo: string | undefined, d: string | undefined, h: string, mi: string, s: string, frac: string): bigint {
    const local = new Date(Number(y ?? 1970), Number(mo ?? 1) - 1, Number(d ?? 1), Number(h), Number(mi), Number(s));
    let ts = BigInt(local.getTime()) * 1_000_000n + fractionNs(frac);
    if (y === undefined) {
      const timeOfDay = ts;
      if (this.lastTimeOfDay >= 0n && timeOfDay < this.lastTimeOfDay - HALF_DAY_NS) this.dayOffset += DAY_NS;
      this.lastTimeOfDay = timeOfDay;
      ts += this.dayOffset;
    }
    this.last = ts;
    return ts;
  }

  after(deltaNs: bigint): bigint {
    this.last += deltaNs;
    return this.last;
  }
}

/** A line longer than this is cut (the rest of it up to the line end is dropped): no tool prints such lines. */
const MAX_LINE_CHARS = 1024 * 1024;

/** The file's lines (latin1, without the LF), read in chunks. */
async function* linesOf(path: string): AsyncGenerator<string> {
  let rest = '';
  let cutting = false;
  for await (const chunk of createReadStream(path, { encoding: 'latin1', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    let at = 0;
    for (let lf = chunk.indexOf('\n'); lf >= 0; lf = chunk.indexOf('\n', at)) {
      const line = cutting ? rest : rest + chunk.slice(at, lf);
      rest = '';
      cutting = false;
      at = lf + 1;
      yield line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
    }
    if (!cutting) {
      rest += chunk.slice(at);
      if (rest.length > MAX_LINE_CHARS) {
        rest = rest.slice(0, MAX_LINE_CHARS);
        cutting = true;
      }
    }
  }
  if (rest !== '') yield rest;
}

/** Largest UDP payload an IPv4 datagram holds. */
const MAX_UDP_PAYLOAD = 65507;
/** TCP payload per synthetic segment: a bigger message is cut into several (the stream joins them again). */
const TCP_SEGMENT = 65000;

/**
 * A FrameSource over a text dump: each SIP message becomes one synthetic raw-IP frame (a TCP
 * message too big for one becomes several segments; a UDP message too big for any datagram is
 * counted as skip "text-message-too-big").
 */
export function openTextDump(path: string): FrameSource {
  let stopped = false;
  return {
    name: path,
    live: false,
    stop: () => {
      stopped = true;
    },
    async start(sink: FrameSink): Promise<SourceEnd> {
      try {
        await access(path, constants.R_OK);
      } catch (e) {
        throw new InputError(`cannot open ${path}: ${describeIoError(e)}`);
      }
      const seq = new Map<string, number>();
      const reader = new TextDumpReader();
      let frames = 0;
      let sinceYield = 0;
      const emit = (m: DumpedMessage): void => {
        if (m.transport === 'UDP' && m.payload.length > MAX_UDP_PAYLOAD) {
          sink.skip?.('text-message-too-big');
          return;
        }
        for (let at = 0; at === 0 || at < m.payload.length; at += TCP_SEGMENT) {
          const { linktype, data } = synthFrame(m.transport === 'UDP' ? m : { ...m, payload: m.payload.subarray(at, at + TCP_SEGMENT) }, seq);
          sink.frame({ index: ++frames, ts: m.ts, linktype, data, origLen: data.length, fileOffset: -1 });
          if (m.transport === 'UDP') break;
        }
      };
      try {
        for await (const line of linesOf(path)) {
          if (stopped) break;
          for (const m of reader.line(line)) emit(m);
          if (++sinceYield >= LINES_PER_SLICE) {
            sinceYield = 0;
            await (sink.backlog?.() ?? yieldToLoop());
          }
        }
        if (!stopped) for (const m of reader.end()) emit(m);
      } catch (e) {
        throw new InputError(`cannot read ${path}: ${describeIoError(e)}`);
      }
      for (let i = 0; i < reader.oversized; i++) sink.skip?.('text-message-too-big');
      return { frames };
    },
  };
}
