import type { DialogId, MessageId } from '../model/ids.js';
import type { HepLog } from '../store/hep-logs.js';
import type { FlowMessage } from './flow-message.js';

/**
 * The ladder rows of the log lines HEP agents sent for a dialog (type 100: rtpengine, Kamailio,
 * FreeSWITCH), one at each line's capture time, as HOMER lists them beside the messages. They
 * belong to no lifeline: the row is a note across the ladder naming its agent. `anchor` is the
 * dialog's first message (rows are not messages).
 */
export function logFlowMessages(logs: readonly HepLog[], dialog: DialogId, anchor: MessageId): FlowMessage[] {
  return logs.map((l, k) => ({
    id: anchor, ts: l.ts, src: '', dst: '', label: logLabel(l), request: true, status: 0, cseq: 0, hasSdp: false, retrans: false, dialog,
    synthetic: { kind: 'log', key: `log|${dialog}|${k}` },
  }));
}

/** "LOG 77: rtpengine[123]: Final packet stats". */
export function logLabel(l: HepLog): string {
  return `LOG ${l.node}: ${l.text}`;
}

/** True for a log row, which has no addresses: the layout gives it no column, the rows draw it as a note. */
export function isLogRow(m: FlowMessage): boolean {
  return m.synthetic?.kind === 'log';
}
