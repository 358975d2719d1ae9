import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureStatus } from '../../src/model/status.js';
import { callListHeader, progressText } from '../../src/ui/present/header.js';

const base: CaptureStatus = {
  mode: 'Offline', input: 'a.pcap', bpf: 'udp', match: 'INVITE', bytesRead: 450, bytesTotal: 1000,
  frames: 10, framesPerSecond: 123456.7, done: false, warnings: [],
};
const text = (line: { text: string }[]) => line.map((s) => s.text).join('');

test('a loading file shows percentage and packets per second; a finished one shows nothing', () => {
  assert.equal(progressText(base), 'Loading 45% 123,457 pkt/s');
  assert.equal(progressText({ ...base, bytesTotal: 0 }), 'Loading 123,457 pkt/s');
  assert.equal(progressText({ ...base, done: true }), '');
});

const view = { shown: 7, total: 7, selected: 0, filter: '', display: '', filtered: false, search: '', notFound: false, paused: false };

test('the header names mode, counts, input, match, BPF, filter, search and the latest warning', () => {
  const [first, second] = callListHeader(
    { ...base, warnings: ['old', 'file truncated at offset 99'] },
    { ...view, shown: 5, total: 20, selected: 2, filter: 'dstnum 123', filtered: true, search: 'alice' },
  );
  assert.equal(text(first!), ' Mode: Offline  Dialogs: 20 [filtered 5/20]  Selected: 2  Loading 45% 123,457 pkt/s  File: a.pcap');
  assert.equal(text(second!), ' Match: INVITE  BPF: udp  Filter: dstnum 123  Search: alice  file truncated at offset 99');
  const [live] = callListHeader({ ...base, mode: 'Online', input: 'eth0', received: 13, dropped: 3 }, view);
  assert.equal(text(live!), ' Mode: Online  Dialogs: 7  Packets: 10  Received: 13  Dropped: 3  Device: eth0');
  const [paused] = callListHeader({ ...base, mode: 'Online', input: 'lo', dropped: 0 }, { ...view, shown: 2, total: 2, paused: true });
  assert.equal(text(paused!), ' Mode: Online  Dialogs: 2  Paused  Packets: 10  Dropped: 0  Device: lo');
  const [kept] = callListHeader(base, { ...view, shown: 0, filtered: true });
  assert.match(text(kept!), /Dialogs: 7 \[filtered 0\/7\]/);
  // At 80 columns a long path is cut, not the progress: a load must not look finished.
  const [long] = callListHeader({ ...base, input: '../shared/pcaps/wswiki/wireuploaded.pcap' }, view);
  assert.ok(text(long!).indexOf('Loading 45%') < 60, text(long!));
  const [, typed] = callListHeader(base, { ...view, display: '5060', search: 'bob', notFound: true });
  assert.equal(text(typed!), ' Match: INVITE  BPF: udp  Filter:   Display: 5060  Search: bob  not found');
});
