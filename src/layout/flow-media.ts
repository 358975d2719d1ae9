import type { DialogId, MessageId } from '../model/ids.js';
import type { DtmfEvent, RtpStreamInfo } from '../model/media.js';
import { addressText, type FlowMessage } from './flow-message.js';
import { cellWidth, cutCells } from './text-width.js';

/** What an RTP row says about its stream. */
export interface StreamRow {
  codec: string;
  packets: number;
  lossPct: number;
  mos: number | null;
}

/** A stream's codec as the row names it: the rtpmap or static name, else its payload type. */
function codecOf(s: RtpStreamInfo): string {
  return s.codec === '' ? `PT ${s.payloadType}` : s.codec;
}

/**
 * The ladder rows of a dialog's RTP streams (sngrep's `RTP (PCMA) 1450 pkts`): one arrow per stream
 * between its media addresses at its first packet, with packets, loss and MOS; and one row per
 * RFC 4733 key press at its time. `anchor` is the dialog's first message (rows are not messages).
 */
export function streamFlowMessages(streams: readonly RtpStreamInfo[], dialog: DialogId, anchor: MessageId): FlowMessage[] {
  const out: FlowMessage[] = [];
  const row = (ts: bigint, s: RtpStreamInfo, label: string, kind: 'rtp' | 'dtmf', key: string): FlowMessage => ({
    id: anchor, ts, src: addressText(s.src, s.sport), dst: addressText(s.dst, s.dport), label, request: true, status: 0, cseq: 0,
    hasSdp: false, retrans: false, dialog, synthetic: { kind, key },
  });
  for (const s of streams) {
    const rtp = row(s.start, s, `RTP (${codecOf(s)})`, 'rtp', `rtp|${s.id}`);
    rtp.stream = { codec: codecOf(s), packets: s.packets, lossPct: s.lossPct, mos: s.mos };
    out.push(rtp);
    s.dtmf.forEach((e, k) => out.push(row(e.ts, s, dtmfText(e), 'dtmf', `dtmf|${s.id}|${k}`)));
  }
  return out;
}

/** "DTMF 5 (160 ms)". */
export function dtmfText(e: DtmfEvent): string {
  return e.durationMs > 0 ? `DTMF ${e.digit} (${Math.round(e.durationMs)} ms)` : `DTMF ${e.digit}`;
}

/**
 * Gives each SIP INFO of a dialog that carried a key its digit (`INFO (DTMF 5)`): the media plane
 * read it at the INFO's capture time.
 */
export function labelInfoDtmf(msgs: readonly FlowMessage[], events: readonly DtmfEvent[]): void {
  if (events.length === 0) return;
  const byTime = new Map(events.map((e) => [e.ts, e.digit] as const));
  for (const m of msgs) {
    if (m.request && m.synthetic === undefined && m.label === 'INFO') m.dtmf = byTime.get(m.ts);
  }
}

/** The RTP row's text in `room` cells: the longest of sngrep's forms that fits. */
export function streamLabel(s: StreamRow, room: number, ascii: boolean): string {
  const mos = s.mos === null ? '' : ` MOS ${s.mos.toFixed(1)}`;
  const loss = `${s.lossPct.toFixed(s.lossPct > 0 && s.lossPct < 10 ? 1 : 0)}%`;
  const c = s.codec;
  const p = s.packets;
  const texts = [
    `RTP (${c}) ${p} pkts, loss ${loss}${mos && `,${mos}`}`,
    `RTP (${c}) ${p} pkts ${loss}${mos}`,
    `RTP ${c} ${p} pkts ${loss}${mos}`,
    `RTP ${c} ${p} ${loss}${mos}`,
    `${c} ${p} ${loss}${mos}`,
    `${c} ${p} ${loss}${mos.replace(' MOS', '')}`,
    `${c} ${p}`,
  ];
  for (const t of texts) if (cellWidth(t, ascii) <= room) return t;
  return cutCells(texts[texts.length - 1]!, room, ascii);
}
