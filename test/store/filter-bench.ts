// Filter and sort timings over 1,000,000 synthetic dialogs (issue target: filter ≤ 300 ms).
// Run: node dist/test/store/filter-bench.js
import { fileURLToPath } from 'node:url';
import type { DialogId, MessageId } from '../../src/model/ids.js';
import type { MessageView } from '../../src/model/message-view.js';
import type { Dialog, SipMessage } from '../../src/model/sip.js';
import type { FrameLocation, StoreStats } from '../../src/model/store-view.js';
import type { AddressSide, IdentityKind, RangeTest } from '../../src/store/dialog-facts.js';
import { compileFilter, filterDialogs, isFilterError, type FilterableStore } from '../../src/store/filter.js';
import { MASKED_HEADERS } from '../../src/sip/message.js';
import { sortDialogs } from '../../src/store/sort.js';
import { formatTable, verdict, type Bench } from '../bench/bench.js';

const STATES = ['COMPLETED', 'BUSY', 'CANCELLED', 'REJECTED', 'IN CALL', ''] as const;

/** A store stand-in holding n generated dialogs with the shapes the real Store keeps. */
export class SyntheticStore implements FilterableStore {
  readonly version = 0;
  readonly firstId = 0 as DialogId;
  private readonly dialogs: Dialog[] = [];
  private readonly masks: Int32Array;
  private readonly identities: ({ pai: string[]; diversion: string[] } | undefined)[] = [];

  constructor(n: number) {
    this.masks = new Int32Array(n);
    const pai = 1 << MASKED_HEADERS.indexOf('P-Asserted-Identity');
    const diversion = 1 << MASKED_HEADERS.indexOf('Diversion');
    for (let i = 0; i < n; i++) {
      const from = `+4412${String(i * 7919 % 100_000_000).padStart(8, '0')}`;
      const to = `+4420${String(i * 104_729 % 100_000_000).padStart(8, '0')}`;
      this.dialogs.push({
        id: i as DialogId, callId: `${i.toString(36)}-a1b2c3@10.0.0.1`, method: i % 7 === 0 ? 'REGISTER' : 'INVITE',
        fromUser: from, fromHost: 'carrier.example', fromDisplay: `Caller ${i % 1000}`, toUser: to, toHost: 'carrier.example', toDisplay: '', ruri: `sip:${to}@carrier.example;user=phone`,
        src: `${this.ip(i)}:5060`, dst: '192.0.2.10:5060', transport: 'UDP',
        messages: [i * 2 as MessageId, i * 2 + 1 as MessageId], messageCount: 2, start: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n,
        end: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n + BigInt(i % 600) * 1_000_000_000n,
        state: STATES[i % STATES.length]!, xCallId: '', userAgent: i % 3 ? 'Kamailio (5.7.4)' : 'FreeSWITCH-mod_sofia/1.10.11', reason: '',
      });
      this.masks[i] = 0x3ff | (i % 2 ? pai : 0) | (i % 10 === 0 ? diversion : 0);
      this.identities.push(i % 2 || i % 10 === 0
        ? { pai: i % 2 ? [from] : [], diversion: i % 10 === 0 ? [`44161${i % 1000}`] : [] }
        : undefined);
    }
  }

  /** 4096 distinct caller addresses, a busy SBC's worth. */
  private ip(i: number): string {
    return `10.${(i >> 10) & 3}.${(i >> 8) & 3}.${i & 255}`;
  }

  dialogCount(): number { return this.dialogs.length; }
  dialog(id: DialogId): Dialog | undefined { return this.dialogs[id]; }
  messageCount(): number { return this.dialogs.length * 2; }
  message(): SipMessage { throw new Error('not in the synthetic store'); }
  messageBytes(): Buffer { return Buffer.alloc(0); }
  messageFrames(): FrameLocation[] { return []; }
  frameBytes(): Buffer { return Buffer.alloc(0); }
  messageView(): MessageView { throw new Error('not in the synthetic store'); }
  stats(): StoreStats { return { frames: 0, messages: 0, dialogs: this.dialogs.length, skipped: {} }; }
  subscribe(): () => void { return () => undefined; }
  headerMask(i: number): number { return this.masks[i]!; }
  hasOtherHeader(): boolean { return false; }
  identityMatches(i: number, kind: IdentityKind, test: RangeTest): boolean {
    const users = kind === 'ppi' ? undefined : this.identities[i]?.[kind];
    return users?.some((u) => test(u, 0, u.length)) ?? false;
  }
  addressMatcher(test: (ip: string) => boolean, side: AddressSide): (i: number) => boolean {
    // Like the Store: the test runs once per distinct address.
    const seen = new Map<string, boolean>();
    const passes = (ip: string): boolean => {
      let v = seen.get(ip);
      if (v === undefined) seen.set(ip, (v = test(ip)));
      return v;
    };
    return (i) => {
      const d = this.dialogs[i]!;
      return (side !== 'dst' && passes(this.ip(d.id))) || (side !== 'src' && passes('192.0.2.10'));
    };
  }
}

export const BENCH_FILTERS = [
  'dstnum=442012345678',
  'dstnum 4420 and has diversion',
  'telnum 4412 or pai 44121',
  '(srcnum 44129 or dstnum 44209) and not state busy',
  'srcip 10.1.0.0/16 or dstip 10.0.0.0/8',
  'ua freeswitch and method=INVITE',
];

/** Milliseconds per filter (best of 3) and per sort key over n dialogs. */
export function benchFilter(n = 1_000_000): { filters: [string, number, number][]; sorts: [string, number][] } {
  const store = new SyntheticStore(n);
  const best = (fn: () => void): number => {
    let min = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      fn();
      min = Math.min(min, performance.now() - t);
    }
    return min;
  };
  const filters = BENCH_FILTERS.map((expr): [string, number, number] => {
    const f = compileFilter(expr);
    if (isFilterError(f)) throw new Error(`${expr}: ${f.message}`);
    let hits = 0;
    const ms = best(() => { hits = filterDialogs(store, f).length; });
    return [expr, ms, hits];
  });
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const sorts = (['from', 'state', 'time', 'duration', 'callId'] as const).map((key): [string, number] => [
    key, best(() => sortDialogs(store, all, key, true)),
  ]);
  return { filters, sorts };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { filters, sorts } = benchFilter();
  for (const [expr, ms, hits] of filters) console.log(`filter ${ms.toFixed(0).padStart(5)} ms  ${String(hits).padStart(7)} hits  ${expr}`);
  for (const [key, ms] of sorts) console.log(`sort   ${ms.toFixed(0).padStart(5)} ms  by ${key}`);
}

export const FILTER_TARGET_MS = 300;

/** For `npm run bench`: every filter expression over 1,000,000 dialogs within the target. */
export const filterBench: Bench = {
  name: 'filter',
  description: `filter and sort 1,000,000 dialogs (target filter ≤ ${FILTER_TARGET_MS} ms)`,
  async run(ctx) {
    const { filters, sorts } = benchFilter();
    const rows = [
      ...filters.map(([expr, ms, hits]) => ['filter', `${ms.toFixed(0)} ms`, `${hits} hits`, expr, verdict(ms <= FILTER_TARGET_MS)]),
      ...sorts.map(([key, ms]) => ['sort', `${ms.toFixed(0)} ms`, '', `by ${key}`, '']),
    ];
    for (const line of formatTable(rows)) ctx.log(line);
    return filters.every(([, ms]) => ms <= FILTER_TARGET_MS);
  },
};
