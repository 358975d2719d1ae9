/**
 * Hand-made hostile inputs of the kinds that once crashed or hung sipscope (see
 * ../shared/repros), at a size a campaign can afford; `scale` multiplies their counts.
 */
import { cat, ethernet, ethTcp, ip4, sip, udp, vlan, INVITE, TCP_SYN } from '../decode/packets.js';
import type { FuzzFrame } from './mutate.js';
import type { Rng } from './rng.js';

const eth = (data: Buffer): FuzzFrame => ({ linktype: 1, data });
const call = (): Buffer => ip4('10.0.0.1', '10.0.0.2', 17, udp(5060, 5060, sip(INVITE)));

export const PATHOLOGICAL: { name: string; make: (r: Rng, scale: number) => FuzzFrame[] }[] = [
  {
    name: 'stacked-vlan-tags',
    make: (r) => {
      let d = call();
      const n = 10 + r.below(3000);
      for (let i = 0; i < n; i++) d = vlan(i & 0xfff, i === 0 ? 0x0800 : 0x8100, d);
      return [eth(ethernet(0x8100, d))];
    },
  },
  {
    name: 'stacked-teb-headers',
    make: (r) => {
      let d = ethernet(0x0800, call());
      const n = 10 + r.below(3000);
      for (let i = 0; i < n; i++) d = ethernet(0x6558, d);
      return [eth(d)];
    },
  },
  {
    name: 'duplicate-first-fragments',
    make: (r, scale) => {
      const f = eth(ethernet(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(5060, 5060, sip(INVITE)).subarray(0, 64), { id: r.below(65536), fragOffset: 0, more: true })));
      return Array.from({ length: 1000 * scale }, () => f);
    },
  },
  {
    name: 'reverse-order-tcp-segments',
    make: (_r, scale) => {
      const n = 2000 * scale;
      const out: FuzzFrame[] = [eth(ethTcp(999, Buffer.alloc(0), TCP_SYN))];
      for (let i = n; i >= 1; i--) out.push(eth(ethTcp(1000 + i, Buffer.from('x'))));
      return out;
    },
  },
  {
    name: 'distinct-header-names',
    make: (r, scale) => {
      const out: FuzzFrame[] = [];
      for (let m = 0; m < 20 * scale; m++) {
        const extra = Array.from({ length: 500 }, (_, i) => `X-H${m}-${i}-${r.below(1e6)}: v`).join('\r\n');
        const msg = Buffer.from(`${INVITE}\r\nCall-ID: many-names\r\nCSeq: ${m + 1} INVITE\r\n${extra}\r\nContent-Length: 0\r\n\r\n`);
        out.push(eth(ethernet(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(5060, 5060, msg)))));
      }
      return out;
    },
  },
  {
    name: 'loopback-families',
    make: (r, scale) => Array.from({ length: 1000 * scale }, () => {
      const fam = Buffer.alloc(4);
      fam.writeUInt32LE(r.u32());
      return { linktype: 0, data: cat(fam, call()) };
    }),
  },
  {
    name: 'huge-content-length-then-message',
    make: () => {
      const big = Buffer.from(`${INVITE}\r\nCall-ID: big\r\nCSeq: 1 INVITE\r\nContent-Length: 5000000\r\n\r\n`);
      return [eth(ethTcp(1, cat(big, sip('BYE sip:bob@example.com SIP/2.0'))))];
    },
  },
];
