import { after, describe, test } from 'node:test';
import { matchSnapshot, PCAPS, PtyScreen } from './pty-screen.js';

/** What the ladder draws besides the SIP arrows' names: SDP summaries, RTP and DTMF rows, finding marks. */
const KEY = { down: '\x1b[B', enter: '\r' } as const;
const LIST_READY = /Dialogs: \d+(?![^\n]*Loading)[\s\S]*q Quit/;

const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });

async function openFlow(capture: string, cols: number, rows: number, row: number, args: string[] = []): Promise<PtyScreen> {
  const s = new PtyScreen(['-F', '-I', capture, ...args], cols, rows);
  running.push(s);
  await s.settle(LIST_READY);
  s.write(KEY.down.repeat(row) + KEY.enter);
  await s.settle(/Call flow/);
  return s;
}

describe('SDP on the arrows', () => {
  test('80x24: d shows the first media; the hold re-INVITE says so', async () => {
    const s = await openFlow(`${PCAPS}heplify/erspan_sip_ipv4_udp.pcapng`, 80, 24, 2);
    s.write('d' + KEY.down.repeat(11));
    matchSnapshot('flow-80x24-sdp-hold', await s.settle(/hold\)/));
  });

  test('160x40 without the pane: address, port and codec; full mode shows every m= line', async () => {
    const s = await openFlow(`${PCAPS}heplify/erspan_sip_ipv4_udp.pcapng`, 160, 40, 2);
    s.write('dt');
    matchSnapshot('flow-160x40-sdp-first', await s.settle(/INVITE \(.*:32514 PCMA\)[\s\S]*PCMA hold\)/));
    s.write('d');
    matchSnapshot('flow-160x40-sdp-full', await s.settle(/INVITE \(audio /));
  });

  test('T.38 re-INVITE: the switch is on the arrow', async () => {
    const s = await openFlow(`${PCAPS}wswiki/T38.pcap`, 160, 40, 0);
    s.write('d');
    matchSnapshot('flow-160x40-sdp-t38', await s.settle(/T\.38\)/));
  });
});
