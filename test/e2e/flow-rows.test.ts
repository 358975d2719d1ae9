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

describe('RTP streams and DTMF in the ladder', () => {
  test('80x24: a row per stream between the media addresses; m (sngrep\'s RTP toggle) hides and shows them', async () => {
    const s = await openFlow(`${PCAPS}heplify/rtp_rtcp_sip_ipv4_udp.pcap`, 80, 24, 0);
    matchSnapshot('flow-80x24-rtp', await s.settle(/\(5 messages, 2 RTP\)[\s\S]*PCMA 891/));
    s.write('m');
    await s.settle(/\(5 messages\)/);
    s.write('m');
    await s.settle(/\(5 messages, 2 RTP\)/);
  });

  test('160x40: RFC 4733 key presses on their stream; Enter on a stream row opens the streams screen', async () => {
    const s = await openFlow(`${PCAPS}sipnab/SIP_DTMF2.cap`, 160, 40, 4);
    s.write('t');
    matchSnapshot('flow-160x40-rtp-dtmf', await s.settle(/2 RTP, 7 DTMF[\s\S]*DTMF 2 \(120 ms\)/));
    s.write('G');
    await s.settle(/DTMF 3 \(120 ms\)/);
    s.write('\r');
    await s.settle(/RTP streams/);
  });

  test('160x40: a SIP INFO names the key it carried', async () => {
    const s = await openFlow(`${PCAPS}sipnab/DTMFsipinfo.pcap`, 160, 40, 0);
    s.write('t' + KEY.down.repeat(20));
    matchSnapshot('flow-160x40-info-dtmf', await s.settle(/INFO \(DTMF 1\)/));
  });
});
