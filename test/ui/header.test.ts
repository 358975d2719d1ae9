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

test('the header names mode, counts, input, match, BPF, display filter and the latest warning', () => {
  const [first, second] = callListHeader({ ...base, warnings: ['old', 'file truncated at offset 99'] }, 5, 20, 2, 'alice');
  assert.equal(text(first!), ' Mode: Offline  Dialogs: 5 of 20  Selected: 2  File: a.pcap  Loading 45% 123,457 pkt/s');
  assert.equal(text(second!), ' Match: INVITE  BPF: udp  Display filter: alice  file truncated at offset 99');
  const [live] = callListHeader({ ...base, mode: 'Online', input: 'eth0', dropped: 3 }, 7, 7, 0, '');
  assert.equal(text(live!), ' Mode: Online  Dialogs: 7  Packets: 10  Dropped: 3  Device: eth0');
  const [paused] = callListHeader({ ...base, mode: 'Online', input: 'lo', dropped: 0 }, 2, 2, 0, '', true);
  assert.equal(text(paused!), ' Mode: Online  Dialogs: 2  Paused  Packets: 10  Dropped: 0  Device: lo');
});
