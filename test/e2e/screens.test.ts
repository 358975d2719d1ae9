import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE_DISPLAY, writeHostilePcap } from './hostile-pcap.js';
import { matchSnapshot, PCAPS, PtyScreen } from './pty-screen.js';
import { writeFaxCall } from '../media/fax-gen.js';

const KEY = { down: '\x1b[B', enter: '\r', f1: '\x1bOP', space: ' ' } as const;
/** The call list of a fully loaded file (no progress indicator left). */
const LIST_READY = /Dialogs: \d+(?![^\n]*Loading)[\s\S]*q Quit/;
const SIZES: [number, number][] = [[80, 24], [160, 40]];

const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });

function open(capture: string, cols: number, rows: number, args: string[] = []): PtyScreen {
  const s = new PtyScreen(['-I', capture, ...args], cols, rows);
  running.push(s);
  return s;
}

/** Opens the flow of the dialog at 0-based row `row` of the call list. */
async function openFlow(s: PtyScreen, row: number): Promise<string> {
  await s.settle(LIST_READY);
  s.write(KEY.down.repeat(row) + KEY.enter);
  return s.settle(/Call flow/);
}

for (const [cols, rows] of SIZES) {
  const size = `${cols}x${rows}`;
  describe(`screens at ${size}`, () => {
    test('call list, flow, raw and help of aaa.pcap; q walks back and quits', async () => {
      const s = open(`${PCAPS}sngrep/aaa.pcap`, cols, rows);
      matchSnapshot(`list-${size}-aaa`, await s.settle(LIST_READY));
      matchSnapshot(`flow-${size}-aaa`, await openFlow(s, 1));
      s.write('r');
      matchSnapshot(`raw-${size}-aaa`, await s.settle(/Raw {2}Call-ID/));
      s.write('q');
      await s.settle(/Call flow/);
      s.write('q');
      await s.settle(LIST_READY);
      s.write('h');
      matchSnapshot(`help-${size}-aaa`, await s.settle(/Help/));
      s.write('qqy');
      assert.equal(await s.exited(), 0);
    });

    test('compare: two messages marked in the flow, side by side', async () => {
      const s = open(`${PCAPS}sngrep/aaa.pcap`, cols, rows);
      await openFlow(s, 1);
      s.write(KEY.space + KEY.down.repeat(3) + KEY.space);
      matchSnapshot(`compare-${size}-aaa`, await s.settle(/Compare messages/));
    });

    test('flow of an IPv6 call', async () => {
      const s = open(`${PCAPS}heplify/sip_ipv6_udp.pcap`, cols, rows);
      matchSnapshot(`flow-${size}-ipv6`, await openFlow(s, 0));
    });
  });
}

describe('captures at 160x40', () => {
  test('T.38 re-INVITE call flow', async () => {
    const s = open(`${PCAPS}wswiki/T38.pcap`, 160, 40);
    matchSnapshot('flow-160x40-t38', await openFlow(s, 0));
  });

  test('fax screen: LtoZ_rtpFilter_fail_2.pcap failed for want of CFR; F goes back to the flow', async () => {
    const s = open(`${PCAPS}wswiki/LtoZ_rtpFilter_fail_2.pcap`, 160, 40);
    await openFlow(s, 0);
    s.write('F');
    matchSnapshot('fax-160x40-ltoz', await s.settle(/Fax {2}Call-ID[\s\S]*DCS/));
    s.write('F');
    await s.settle(/Call flow/);
  });

  test('RTP streams screen: both directions with RTCP, sorted by jitter, then back to the flow', async () => {
    const s = open(`${PCAPS}heplify/rtp_rtcp_sip_ipv4_udp.pcap`, 160, 40);
    await openFlow(s, 0);
    s.write('A');
    await s.settle(/RTP streams[\s\S]*sorted by start/);
    s.write('>>');
    matchSnapshot('streams-160x40-heplify', await s.settle(/sorted by jitter[\s\S]*Jitter\/time/));
    s.write('A');
    await s.settle(/Call flow/);
  });

  test('RTP streams screen at 80x24 with --ascii sparklines', async () => {
    const s = open(`${PCAPS}sipnab/Asterisk_ZFONE_XLITE.pcap`, 80, 24, ['--ascii']);
    await openFlow(s, 4);
    s.write('A');
    matchSnapshot('streams-80x24-zfone-ascii', await s.settle(/RTP streams[\s\S]*Back/));
  });

  test('fax screen at 80x24 without UDPTL: T38.pcap says the switch was accepted and that no UDPTL was captured', async () => {
    const s = open(`${PCAPS}wswiki/T38.pcap`, 80, 24);
    await openFlow(s, 0);
    s.write('F');
    const screen = await s.settle(/No UDPTL packet captured/);
    assert.match(screen, /T\.38 +accepted at 14:37:48\.375745/);
    assert.match(screen, /Endpoints +212\.15\.13\.21:46012, 84\.44\.107\.78:10964 \(SDP\)/);
  });

  test('fax screen at 80x24: a generated fax with one FTT retrain, two pages confirmed', async () => {
    const s = open(writeFaxCall('fax-screen.pcap', { ftt: true }), 80, 24);
    await openFlow(s, 0);
    s.write('F');
    matchSnapshot('fax-80x24-generated', await s.settle(/Fax {2}Call-ID[\s\S]*Back/));
  });

  test('fax rows in the call flow: T.30 frames and pages between the fax endpoints, P toggles them, I adds indicators', async () => {
    const s = open(writeFaxCall('fax-flow.pcap', { ftt: true }), 160, 40);
    await openFlow(s, 0);
    // Without the audio stream's row, whose columns would push the fax endpoints out of the ladder.
    s.write('m' + '\x1b[B'.repeat(9));
    matchSnapshot('flow-160x40-fax', await s.settle(/\(8 messages, 15 fax rows\)[\s\S]*CFR/));
    s.write('P');
    await s.settle(/\(8 messages\)/);
    s.write('PIg');
    matchSnapshot('flow-160x40-fax-indicators', await s.settle(/fax rows\)[\s\S]*v21-preamble/));
  });

  test('SIP over TCP call flow', async () => {
    const s = open(`${PCAPS}heplify/sip_ipv4_tcp.pcap`, 160, 40);
    matchSnapshot('flow-160x40-tcp', await openFlow(s, 0));
  });

  test('B2BUA capture: call list, and both legs selected merge into one ladder', async () => {
    const s = open(`${PCAPS}sipnab/b2bua-asterisk.pcapng`, 160, 40);
    matchSnapshot('list-160x40-b2bua', await s.settle(LIST_READY));
    s.write(KEY.down.repeat(5) + KEY.space + KEY.space + KEY.enter);
    matchSnapshot('flow-160x40-b2bua-merged', await s.settle(/Call flow {2}2 dialogs/));
  });

  test('ASCII line drawing with --ascii', async () => {
    const s = open(`${PCAPS}sngrep/aaa.pcap`, 80, 24, ['--ascii']);
    const flow = await openFlow(s, 1);
    assert.ok(/^[\x20-\x7e\n]*$/.test(flow), 'only ASCII on screen');
    matchSnapshot('flow-80x24-aaa-ascii', flow);
  });
});

describe('message pane at 200x50', () => {
  test('the first frame after Enter shows each line of the message whole (REGISTER and INVITE dialogs of aaa.pcap)', async () => {
    const s = open(`${PCAPS}sngrep/aaa.pcap`, 200, 50);
    await s.settle(LIST_READY);
    for (const [row, name] of [[0, 'register'], [1, 'invite']] as const) {
      const seen: string[] = [];
      const off = s.onParsed(() => seen.push(s.text()));
      s.write(KEY.down.repeat(row) + KEY.enter);
      const settled = await s.settle(/Call flow[\s\S]*Tab Pane/);
      off();
      // The footer is the last row a frame draws: the first screen with the flow's whole footer is the first frame.
      const footer = (screen: string): string => screen.trimEnd().split('\n').at(-1)!;
      const first = seen.find((screen) => footer(screen) === footer(settled));
      assert.match(settled, /│(REGISTER sip:sip\.cybercity\.dk|INVITE sip:97239287044@voip\.brujula\.net) SIP\/2\.0\n/);
      assert.equal(first, settled, 'the first frame is the whole flow, no redraw needed');
      matchSnapshot(`flow-200x50-aaa-${name}`, settled);
      s.write('q');
      await s.settle(LIST_READY);
    }
  });
});

describe('escape injection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-e2e-'));
  const capture = join(dir, 'hostile.pcap');
  writeHostilePcap(capture);
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('SIP headers carrying ESC ] 0 ; title BEL and ESC [ 2 J neither set the title nor clear the screen', async () => {
    const s = open(capture, 160, 40);
    const list = await s.settle(LIST_READY);
    assert.match(list, /Dialogs: 1/);
    s.write(KEY.enter);
    const flow = await s.settle(/Call flow/);
    // Each control is shown as one visible placeholder; the text after it stays where it was.
    assert.ok(flow.includes(`From: "${HOSTILE_DISPLAY.replace(/[\x00-\x1f]/g, '·')}"`), flow);
    assert.match(flow, /Subject: ·\[31mred·\[0m ·gnp\.exe· ·2J/);
    assert.match(flow, /X-Raw: \uFFFD2J/, 'a bare C1 byte is not valid UTF-8 and shows as U+FFFD');
    assert.match(flow, /Call flow/, 'the screen was not cleared');
    s.write(KEY.down);
    const busy = await s.settle(/486 Busy ·\]0;owned·Here/);
    matchSnapshot('flow-160x40-hostile', busy);
    s.write('r');
    await s.settle(/Raw/);
    assert.deepEqual(s.titles, [], 'the terminal title was never set');
  });
});
