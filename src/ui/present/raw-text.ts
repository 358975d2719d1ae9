import type { SipMessage } from '../../model/sip.js';
import type { StyledLine } from './styled.js';
import { formatDate, formatTime } from './call-columns.js';
import { addressText } from './flow-message.js';

/** "2005/01/01 12:00:00.123456 10.0.0.1:5060 -> 10.0.0.2:5060 UDP", the line above each raw message. */
export function messageBanner(m: SipMessage, ascii: boolean): StyledLine {
  const arrow = ascii ? '->' : '→';
  return [
    { text: `${formatDate(m.ts)} ${formatTime(m.ts)} `, style: 'time' },
    { text: `${addressText(m.src, m.sport)} ${arrow} ${addressText(m.dst, m.dport)}`, style: 'address' },
    { text: ` ${m.transport}${m.retrans ? ' (retransmission)' : ''}`, style: m.retrans ? 'retrans' : 'dim' },
  ];
}
