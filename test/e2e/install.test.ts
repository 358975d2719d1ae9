// sipscope installs like any npm tool: `npm pack` builds (prepack) and ships dist/src, bin/, the man
// page, README and LICENSE, never tests or sources; `npm install -g` and `npx` from that tarball give a
// working `sipscope`. Installs are offline from the npm cache (filled by npm ci) and without install
// scripts, which is also what a user gets without approving the optional pcap build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from '../support/cli.js';

const run = promisify(execFile);
const VERSION = (JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { version: string }).version;
const SAMPLE = `${REPO}/test/fixtures/sample.pcap`;
/** What a source checkout needs for `npm pack` (the build reads src/ and the tsconfigs). */
const CHECKOUT = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'sipscope.1', 'bin', 'src'];
const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'];

test('npm pack ships the built program without tests; npm install -g and npx from it run sipscope', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sipscope-pack-'));
  try {
    // A copy of the checkout, so prepack's build does not rewrite dist/ under the tests running beside this one.
    const checkout = join(tmp, 'checkout');
    for (const f of CHECKOUT) cpSync(join(REPO, f), join(checkout, f), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp, '--loglevel=error'], { cwd: checkout });
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    for (const f of ['bin/sipscope', 'dist/src/main.js', 'sipscope.1', 'README.md', 'LICENSE', 'package.json']) {
      assert.ok(files.includes(f), `${f} is in the package`);
    }
    const unwanted = files.filter((f) => /^(test|src|snapshots)\/|^dist\/test\/|\.map$|\.ts$/.test(f));
    assert.deepEqual(unwanted, [], 'no tests, sources or source maps in the package');
    const tarball = join(tmp, info!.filename);

    const prefix = join(tmp, 'global');
    await run('npm', ['install', '-g', '--prefix', prefix, ...NPM_QUIET, tarball], { cwd: tmp });
    const sipscope = join(prefix, 'bin', 'sipscope');
    assert.equal((await run(sipscope, ['--version'])).stdout.trim(), VERSION);
    assert.equal((await run(sipscope, ['-N', '-I', SAMPLE])).stdout, 'Dialog count: 60\n');
    assert.ok(existsSync(join(prefix, 'share', 'man', 'man1', 'sipscope.1')), 'the man page is installed');
    // Installed without the pcap build: a BPF filter on a file says what it needs, in one line.
    const noPcap = await run(sipscope, ['-N', '-I', SAMPLE, 'port', '5060']).then(() => assert.fail('exit 0 without libpcap'), (e: { code: number; stderr: string }) => e);
    assert.equal(noPcap.code, 2);
    assert.match(noPcap.stderr, /^sipscope: the BPF filter 'port 5060' on a capture file needs libpcap: .*npm rebuild pcap.*\n$/);
    assert.ok(!existsSync(join(prefix, 'lib', 'node_modules', 'sipscope', 'test')), 'no test/ folder installed');

    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const npx = await run('npm', ['exec', '--yes', ...NPM_QUIET, `--package=${tarball}`, '--', 'sipscope', '-N', '-I', SAMPLE], { cwd: empty });
    assert.equal(npx.stdout, 'Dialog count: 60\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
