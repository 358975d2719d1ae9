import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions, splitPositionals } from '../../src/cli/options.js';
import { InputError } from '../../src/model/errors.js';

test('-I - reads stdin and leaves the trailing words to the BPF filter', () => {
  const o = parseOptions(['-I', '-', 'port', '5060']);
  assert.deepEqual(o.inputs, ['-']);
  assert.equal(o.bpf, 'port 5060');
  assert.equal(o.match, '');
});

test('a trailing BPF filter stays text (port numbers are not parsed as numbers)', () => {
  assert.equal(parseOptions(['-d', 'eth0', 'udp', 'port', '05060']).bpf, 'udp port 05060');
});

test('sngrep positionals: a match expression, then the BPF filter', () => {
  assert.deepEqual(splitPositionals(['alice', 'port', '5060']), { match: 'alice', bpf: 'port 5060' });
  assert.deepEqual(splitPositionals(['host', '10.0.0.1']), { match: '', bpf: 'host 10.0.0.1' });
  const withM = parseOptions(['-m', 'INVITE', 'host', '10.0.0.1']);
  assert.equal(withM.match, 'INVITE');
  assert.equal(withM.bpf, 'host 10.0.0.1');
});

test('repeated -I, -l validation and unknown options are clean errors', () => {
  assert.deepEqual(parseOptions(['-I', 'a.pcap', '-I', 'b.pcap']).inputs, ['a.pcap', 'b.pcap']);
  assert.throws(() => parseOptions(['-l', '0']), InputError);
  assert.throws(() => parseOptions(['--no-such-option']), InputError);
});

test('TLS: --keylog, repeated -k, and the BPF filter after -k stays the filter', () => {
  const o = parseOptions(['-d', 'lo', '--keylog', 'keys.log', '-k', 'a.pem', '-k', 'b.pem', 'tcp', 'port', '5061']);
  assert.equal(o.keylog, 'keys.log');
  assert.deepEqual(o.keys, ['a.pem', 'b.pem']);
  assert.equal(o.bpf, 'tcp port 5061');
  assert.equal(o.stripSecrets, false);
  assert.equal(parseOptions(['--strip-secrets']).stripSecrets, true);
});
