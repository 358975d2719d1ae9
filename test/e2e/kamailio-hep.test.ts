// sipscope against real HEP peers: Kamailio's siptrace mirroring a proxied call into
// sipscope -L (checked against a live capture of the same call), Kamailio's sipcapture storing
// what sipscope -H sends (rows counted with sqlite3).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli, startSipscope, whyNotLive } from '../support/cli.js';
import { cfgHead, missingTools, startKamailio } from '../support/kamailio.js';
import { untilCapturing, untilMatched } from '../support/live-capture.js';
import { freePort, udpBound, udpDrops, waitFor } from '../support/ports.js';

const SAMPLE = `${REPO}/test/fixtures/sample.pcap`;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What a dialog is, apart from the exact capture times (HEP stamps them in Kamailio, libpcap in the kernel) and the capture node. */
function shape(d: Record<string, unknown>): Record<string, unknown> {
  const { start: _s, end: _e, nodes: _n, ...rest } = d;
  return rest;
}


function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', (code) => resolve({ code, out }));
  });
}

test('Kamailio siptrace mirrors a proxied sipp call to sipscope -L: dialogs and states equal a live capture of it', { skip: missingTools(['kamailio', 'sipp']) ?? whyNotLive() }, async () => {
  const [proxy, uas, uac, hep] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-siptrace-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const [rxOut, capOut] = [join(dir, 'hep.pcap'), join(dir, 'wire.pcap')];
  const rx = startSipscope(['-N', '--json', '-L', `udp:127.0.0.1:${hep}`, '-O', rxOut]);
  cleanups.push(async () => void rx.child.kill('SIGKILL'));
  const cap = startSipscope(['-N', '--json', '-d', 'lo', '-O', capOut, ...`udp and (port ${proxy} or port ${uas} or port ${uac})`.split(' ')]);
  cleanups.push(async () => void cap.child.kill('SIGKILL'));
  const k = startKamailio(() => `${cfgHead(proxy)}
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "siptrace.so"
modparam("siptrace", "duplicate_uri", "sip:127.0.0.1:${hep}")
modparam("siptrace", "hep_mode_on", 1)
modparam("siptrace", "hep_version", 3)
modparam("siptrace", "hep_capture_id", 3301)
modparam("siptrace", "trace_to_database", 0)
modparam("siptrace", "trace_on", 1)
modparam("siptrace", "trace_mode", 1)
request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  $du = "sip:127.0.0.1:${uas}";
  t_relay();
}
`);
  cleanups.push(k.stop);
  await waitFor('Kamailio and the listener', () => udpBound(proxy) && udpBound(hep), () => rx.alive() && k.alive());
  // libpcap's ring takes from milliseconds to seconds to open: probes to the (still unused) UAC port until one is saved.
  const probe = dgram.createSocket('udp4');
  await untilCapturing(capOut, () => probe.send('probe', uac, '127.0.0.1'), cap.alive).finally(() => probe.close());
  const uasRun = run('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uas), '-m', '1', '-nostdin']);
  await waitFor('the sipp UAS', () => udpBound(uas), k.alive);
  const uacRun = await run('sipp', ['-sn', 'uac', `127.0.0.1:${proxy}`, '-i', '127.0.0.1', '-p', String(uac), '-m', '1', '-s', 'bob', '-nostdin']);
  assert.equal(uacRun.code, 0, uacRun.out);
  assert.equal((await uasRun).code, 0);
  // The call's last message is the 200 to the BYE, on both legs: once both copies are in each file, so is the rest.
  const byeOk = /SIP\/2\.0 200 [^\r]*\r\n(?:[^\r]+\r\n)*?CSeq: *\d+ BYE\r\n/gi;
  await untilMatched(rxOut, byeOk, 2, rx.alive);
  await untilMatched(capOut, byeOk, 2, cap.alive);
  rx.child.kill('SIGTERM');
  cap.child.kill('SIGTERM');
  assert.equal(await rx.exited, 0, rx.stderr());
  assert.equal(await cap.exited, 0, cap.stderr());

  const viaHep = jsonLines(rx.stdout());
  const onWire = jsonLines(cap.stdout());
  const dialogs = (l: Record<string, unknown>[]): Record<string, unknown>[] => l.filter((x) => x.type === 'dialog').map(shape);
  assert.equal(dialogs(viaHep).length, 1);
  assert.equal(dialogs(viaHep)[0]!.state, 'COMPLETED');
  assert.deepEqual(viaHep.find((x) => x.type === 'dialog')!.nodes, ['3301'], "siptrace's hep_capture_id names the node");
  assert.deepEqual(dialogs(viaHep), dialogs(onWire));
});

const SIP_CAPTURE_COLUMNS = [
  'date', 'micro_ts', 'method', 'reply_reason', 'ruri', 'ruri_user', 'ruri_domain', 'from_user', 'from_domain', 'from_tag',
  'to_user', 'to_domain', 'to_tag', 'pid_user', 'contact_user', 'auth_user', 'callid', 'callid_aleg', 'via_1', 'via_1_branch',
  'cseq', 'diversion', 'reason', 'content_type', 'auth', 'user_agent', 'source_ip', 'source_port', 'destination_ip',
  'destination_port', 'contact_ip', 'contact_port', 'originator_ip', 'originator_port', 'expires', 'correlation_id',
  'custom_field1', 'custom_field2', 'custom_field3', 'proto', 'family', 'rtp_stat', 'type', 'node', 'msg',
];

test('Kamailio sipcapture (db_sqlite) stores every message sipscope -H sends', { skip: missingTools(['kamailio', 'sqlite3']) }, async () => {
  const port = await freePort();
  const k = startKamailio((dir) => {
    // Kamailio ships no SQLite schema for sipcapture: HOMER's sip_capture columns, all nullable.
    const db = join(dir, 'homer.db');
    // WAL: the test's count(*) polls read beside Kamailio's writes; in the default rollback journal a
    // poll that holds the read lock makes Kamailio's commit fail ("database is locked") and a row is lost.
    const schema = spawnSync('sqlite3', ['-bail', db, `PRAGMA journal_mode=WAL; CREATE TABLE sip_capture (id INTEGER PRIMARY KEY AUTOINCREMENT, ${SIP_CAPTURE_COLUMNS.join(', ')});`], { encoding: 'utf8' });
    assert.equal(schema.status, 0, `sqlite3: ${schema.stderr} ${String(schema.error ?? '')}`);
    assert.ok(existsSync(db), `sqlite3 created no ${db}`);
    return `${cfgHead(port)}
loadmodule "db_sqlite.so"
loadmodule "sipcapture.so"
modparam("sipcapture", "db_url", "sqlite:///${db}")
modparam("sipcapture", "capture_on", 1)
modparam("sipcapture", "hep_capture_on", 1)
request_route { sip_capture(); drop; }
onreply_route { sip_capture(); drop; }
`;
  });
  cleanups.push(k.stop);
  await waitFor('Kamailio', () => udpBound(port), k.alive);
  // The whole capture, paced: unpaced, it comes faster than Kamailio's one worker commits SQLite rows
  // (each one a disk sync) and its socket buffer overflows; at 100/s it keeps every message.
  const tx = await runCli(['-N', '--json', '-I', SAMPLE, '-H', `udp:127.0.0.1:${port}`, '--hep-id', '4242', '--hep-password', 'pw', '--hep-rate', '100']);
  assert.equal(tx.code, 0, tx.stderr);
  const sent = jsonLines(tx.stdout).find((x) => x.type === 'summary')!.messages as number;
  const db = join(k.dir, 'homer.db');
  const count = (): number => Number(spawnSync('sqlite3', [db, 'SELECT count(*) FROM sip_capture'], { encoding: 'utf8' }).stdout.trim() || 0);
  // Ends as soon as the rows are there, or Kamailio says why they will not be (a database error, kernel drops).
  const failed = (): boolean => /ERROR: db_sqlite|unable to connect to database/.test(k.log()) || udpDrops(port) > 0;
  await waitFor(`${sent} rows in sip_capture`, () => count() >= sent || failed(), k.alive);
  assert.equal(count(), sent, `kernel drops ${udpDrops(port)}; ${k.log()}`);
  const row = spawnSync('sqlite3', [db, "SELECT node, count(DISTINCT callid) FROM sip_capture GROUP BY node"], { encoding: 'utf8' }).stdout.trim();
  const dialogs = jsonLines(tx.stdout).filter((x) => x.type === 'dialog').length;
  assert.match(row, new RegExp(`^[^|]*4242\\|${dialogs}$`), 'capture ID and every Call-ID as sipscope sent them');
});
