import type { SipMessage } from '../../model/sip.js';
import type { StyledLine } from '../../layout/styled.js';
import { formatDate, formatTime } from '../../layout/call-columns.js';
import { addressText } from '../../layout/flow-message.js';
import { aliasOf } from '../../layout/alias.js';

/**
 * "2005/01/01 12:00:00.123456 10.0.0.1:5060 -> 10.0.0.2:5060 UDP", the line above each raw message;
 * with `aliases` (displayalias on) an address the rc file names shows as its alias, as sngrep's.
 */
export function messageBanner(m: SipMessage, ascii: boolean, aliases?: ReadonlyMap<string, string>): StyledLine {
  const arrow = ascii ? '->' : '→';
  const shown = (ip: string, port: number): string => {
    const a = addressText(ip, port);
    return aliasOf(a, aliases) ?? a;
  };
  return [
    { text: `${formatDate(m.ts)} ${formatTime(m.ts)} `, style: 'time' },
    { text: `${shown(m.src, m.sport)} ${arrow} ${shown(m.dst, m.dport)}`, style: 'address' },
    { text: ` ${m.transport}${m.retrans ? ' (retransmission)' : ''}`, style: m.retrans ? 'retrans' : 'dim' },
  ];
}
