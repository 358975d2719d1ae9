import type { MessageView } from '../model/message-view.js';
import type { Dialog } from '../model/sip.js';
import type { Finding } from '../model/finding.js';
import type { DtmfEvent, RtpStreamInfo } from '../model/media.js';
import type { StoreStats } from '../model/store-view.js';
import type { FaxSession } from '../media/fax-session.js';
import type { HepLog } from '../store/hep-logs.js';
import { describeTrainings, pagesSent, summarizeFax } from '../media/fax-summary.js';
import { safeJson } from './unsafe-text.js';
import { JsonBytes } from './json-bytes.js';
import type { Anonymizer } from './anonymize.js';

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Microseconds up to here are exact as a Number (until the year 2255): one BigInt division, the rest in doubles. */
const EXACT_NS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n;

/**
 * ISO-8601 UTC with microseconds, the headless contract's time format. Times cluster within a
 * second, so the date and time of day are formatted once per second; two seconds are kept, as a
 * dialog line alternates between its start and its end.
 */
export class IsoMicros {
  private readonly seconds = [-1, -1];
  private readonly prefixes = ['', ''];
  /** The slot the next new second replaces. */
  private older = 0;

  format(ns: bigint): string {
    if (ns < 0n || ns > EXACT_NS) return this.formatBig(ns);
    const micros = Number(ns / 1000n);
    const second = Math.floor(micros / 1_000_000);
    let k = this.seconds[0] === second ? 0 : this.seconds[1] === second ? 1 : -1;
    if (k < 0) {
      k = this.older;
      this.seconds[k] = second;
      this.prefixes[k] = new Date(second * 1000).toISOString().slice(0, 19);
    }
    this.older = 1 - k;
    return `${this.prefixes[k]}.${String(micros - second * 1_000_000).padStart(6, '0')}Z`;
  }

  /** Times a double cannot hold exactly (or before 1970), all in BigInt. */
  private formatBig(ns: bigint): string {
    const micros = ns / 1000n;
    const prefix = new Date(Number(micros / 1_000_000n) * 1000).toISOString().slice(0, 19);
    return `${prefix}.${(micros % 1_000_000n).toString().padStart(6, '0')}Z`;
  }
}

/** The headless JSON Lines output: field names as DESIGN.md's headless contract. */
export class JsonLines {
  private readonly time = new IsoMicros();

  /**
   * One dialog line (100k of them are most of big100k's output): the same bytes as safeJson of the
   * line's object, written field by field into `out`, with a field escaped only when it has anything to escape.
   */
  dialogInto(out: JsonBytes, d: Dialog, findings: readonly Finding[] = [], logs: readonly HepLog[] = []): void {
    out.raw('{"type":"dialog"');
    out.string('callId', d.callId);
    out.string('method', d.method);
    out.string('from', d.fromUser);
    out.string('fromHost', d.fromHost);
    out.string('to', d.toUser);
    out.string('toHost', d.toHost);
    out.string('src', d.src);
    out.string('dst', d.dst);
    out.raw(`,"msgs":${JSON.stringify(d.messageCount)}`);
    out.string('state', d.state);
    // Times are ISO-8601: nothing in them to escape.
    out.raw(`,"start":"${this.time.format(d.start)}","end":"${this.time.format(d.end)}"`);
    out.string('xcallid', d.xCallId);
    out.raw(',"findings":[');
    for (let k = 0; k < findings.length; k++) {
      const f = findings[k]!;
      out.raw(k > 0 ? ',{"code":"' : '{"code":"');
      out.text(f.code);
      out.raw('"');
      out.string('severity', f.severity);
      out.string('text', f.text);
      out.raw('}');
    }
    out.raw(']');
    // Only dialogs that came over HEP: the agents that saw them (node name, capture ID or address).
    if (d.nodes !== undefined && d.nodes.length > 0) {
      out.raw(',"nodes":');
      out.json(safeJson(d.nodes));
    }
    // HEP log messages (type 100) whose correlation ID is this Call-ID.
    if (logs.length > 0) {
      out.raw(',"logs":');
      out.json(safeJson(logs.map((l) => ({ time: this.time.format(l.ts), node: l.node, text: l.text }))));
    }
    out.raw('}');
  }

  /** dialogInto as a string of its own. */
  dialog(d: Dialog, findings: readonly Finding[] = [], logs: readonly HepLog[] = []): string {
    const out = new JsonBytes(1024);
    this.dialogInto(out, d, findings, logs);
    return out.view().toString('utf8');
  }

  /** --json messages: one SIP message of dialog `callId` as the store's view shows it; `body` as received (UTF-8). */
  message(callId: string, v: MessageView, body: string): string {
    const m = v.message;
    return safeJson({
      type: 'message',
      callId,
      time: this.time.format(m.ts),
      src: endpoint(m.src, m.sport),
      dst: endpoint(m.dst, m.dport),
      transport: m.transport,
      startLine: v.start.text,
      headers: v.headers.map((h) => ({ name: h.name, value: h.value })),
      body,
      retrans: m.retrans,
      ...(m.node !== undefined && m.node !== '' && { node: m.node }),
    });
  }

  /** One RTP stream of dialog `callId`: the contract's fields first, then the extras. */
  stream(callId: string, s: RtpStreamInfo): string {
    return safeJson({
      type: 'stream',
      callId,
      src: endpoint(s.src, s.sport),
      dst: endpoint(s.dst, s.dport),
      ssrc: s.ssrc,
      payloadType: s.payloadType,
      codec: s.codec,
      packets: s.packets,
      expected: s.expected,
      lost: s.lost,
      lossPct: s.lossPct,
      seqErrors: s.seqErrors,
      duplicates: s.duplicates,
      maxDeltaMs: s.maxDeltaMs,
      meanJitterMs: s.meanJitterMs,
      maxJitterMs: s.maxJitterMs,
      mos: s.mos,
      start: this.time.format(s.start),
      end: this.time.format(s.end),
      dtmf: s.dtmf.map((e) => this.dtmf(e)),
      rtcp: s.rtcp,
      origin: s.origin,
      media: s.media,
      srtp: s.srtp,
      codecs: s.codecs,
      payloadTypes: s.payloadTypes,
      wrongTimestamps: s.wrongTimestamps,
      markers: s.markers,
      jitterDiscards: s.jitterDiscards,
    });
  }

  dtmf(e: DtmfEvent): { digit: string; time: string; durationMs: number; volume: number; ended: boolean; source: string } {
    return { digit: e.digit, time: this.time.format(e.ts), durationMs: e.durationMs, volume: e.volume, ended: e.ended, source: e.source };
  }

  /** One T.38 session of a dialog: its T.30 steps and the verdict (fields as DESIGN.md's headless contract). */
  /** With `anon`, the addresses and the fax station IDs (calling, called, and where the T.30 steps name them) are stand-ins. */
  fax(callId: string, session: FaxSession, anon?: Anonymizer): string {
    const s = summarizeFax(session.events());
    const addr = (a: string) => (anon === undefined ? a : anon.address(a));
    const ids = [s.calling, s.called].filter((id) => id !== '');
    const detail = (d: string) => (anon === undefined ? d : anon.text(ids.reduce((t, id) => t.split(id).join(anon.station(id)), d)));
    return safeJson({
      type: 'fax',
      callId: anon === undefined ? callId : anon.text(callId),
      src: addr(session.endpoints[0]),
      dst: addr(session.endpoints[1]),
      t30: s.steps.map((t) => ({ frame: t.frame, time: this.time.format(t.ts), from: addr(t.from), to: addr(t.to), detail: detail(t.detail) })),
      pages: pagesSent(s),
      confirmedPages: s.confirmedPages,
      rate: s.rate,
      ecm: s.ecm,
      result: s.result,
      reason: s.reason,
      calling: anon === undefined ? s.calling : anon.station(s.calling),
      called: anon === undefined ? s.called : anon.station(s.called),
      resolution: s.resolution,
      training: describeTrainings(s.trainings),
      recovered: session.recovered,
      lost: session.lost,
    });
  }

  /**
   * With a filter, `dialogs` counts the dialogs printed and `filter` says which expression chose them among how many.
   * A live source adds what it received and what the kernel dropped. `skipDetails` (a bounded sample of the packet
   * values behind skips) and `warnings` appear only when there are some.
   */
  summary(
    s: StoreStats,
    filtered?: { expression: string; matched: number },
    live?: { received: number; dropped: number },
    warnings: readonly string[] = [],
  ): string {
    const details = s.skipDetails ?? {};
    return safeJson({
      type: 'summary',
      dialogs: filtered ? filtered.matched : s.dialogs,
      messages: s.messages,
      frames: s.frames,
      skipped: s.skipped,
      ...(Object.keys(details).length > 0 && { skipDetails: details }),
      ...(filtered && { filter: { expression: filtered.expression, total: s.dialogs } }),
      ...(live && { received: live.received, dropped: live.dropped }),
      ...(warnings.length > 0 && { warnings }),
    });
  }
}
