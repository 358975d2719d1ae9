// Runs the TUI on this terminal over a synthetic store: `node dist/test/ui/demo-tui.js [dialogs] [--ascii] [--live]`.
import { runTui } from '../../src/ui/app.js';
import type { CaptureStatus } from '../../src/model/status.js';
import { FakeStore } from './fake-store.js';

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 50);
const live = args.includes('--live');
const store = new FakeStore(count, (i) => (i === 2 ? 'Evil\x1b]0;pwned\x07\x1b[2J' : i === 3 ? '日本語 名前' : ''));
const status = (): CaptureStatus => ({
  mode: live ? 'Online' : 'Offline', input: live ? 'any' : 'demo.pcap', bpf: 'port 5060', match: '', bytesRead: 50, bytesTotal: 100,
  frames: store.messageCount(), framesPerSecond: 1234, done: !live, warnings: [],
});
if (live) setInterval(() => store.grow(1), 200).unref();
await runTui({ store, status, quit: async () => undefined }, { ascii: args.includes('--ascii'), colors: 'auto', live, logFile: '/tmp/sipscope-demo.log' });
process.exit(0);
