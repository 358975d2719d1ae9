import type { MessageView } from '../../src/model/message-view.js';
import type { DialogId, MessageId } from '../../src/model/ids.js';
import type { SipMessage } from '../../src/model/sip.js';
import { parseSipMessage } from '../../src/sip/message.js';
import { buildMessageView } from '../../src/store/message-view.js';

/** The store's view of a message given as text, for presenter tests. */
export function viewOf(text: string): MessageView {
  const parsed = parseSipMessage(Buffer.from(text, 'utf8'));
  const message: SipMessage = {
    id: 0 as MessageId, dialog: 0 as DialogId, frame: 1, ts: 0n, src: '10.0.0.1', sport: 5060, dst: '10.0.0.2', dport: 5060,
    transport: 'UDP', method: parsed.method, status: parsed.status, cseq: 1, cseqMethod: parsed.method, hasSdp: false, retrans: false,
    ref: { inFile: false, offset: 0, length: text.length },
  };
  return buildMessageView(message, parsed);
}
