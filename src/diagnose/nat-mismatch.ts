import type { StreamId } from '../model/ids.js';
import type { Finding } from '../model/finding.js';
import type { SipMessage } from '../model/sip.js';
import { parseNameAddr, parseParams, parseUri } from '../sip/uri.js';
import { isPrivateAddress, isPublicAddress } from './addresses.js';
import type { DialogEvidence, Rule } from './rule.js';
import { header, headers, sdpOf, source } from './sip-facts.js';
import { MIN_PACKETS, streamName } from './media-facts.js';
import { FROM_PUBLIC, has, VIA_RECEIVED } from './summary.js';

function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

/** "SIP/2.0/UDP 192.168.1.5:5060;branch=…;received=…" → sent-by host and its parameters. */
function readVia(via: string): { host: string; params: Record<string, string> } {
  const m = /^\s*SIP\s*\/\s*[\d.]+\s*\/\s*\S+\s+([^;]+)(.*)$/i.exec(via);
  if (!m) return { host: '', params: {} };
  const sentBy = m[1].trim();
  const host = sentBy.startsWith('[') ? sentBy.slice(1, sentBy.indexOf(']')) : sentBy.split(':')[0];
  return { host, params: parseParams(m[2].replace(/^;/, '')) };
}

/** Private addresses a message written behind a NAT carries, when the packet itself comes from a public one. */
function privateInside(e: DialogEvidence, m: SipMessage): string[] {
  const found: string[] = [];
  if (m.method !== '') {
    const top = readVia(headers(e, m.id, 'Via')[0] ?? '');
    if (isPrivateAddress(top.host)) found.push(`Via ${top.host}`);
  }
  // A registrar's 200 lists the bindings it holds; a 100 or a failure has no dialog to route: only the sender's own Contact counts.
  const own = m.method !== '' || (m.status > 100 && m.status < 300 && m.cseqMethod !== 'REGISTER');
  const contact = own ? header(e, m.id, 'Contact') : undefined;
  const host = contact ? bare(parseUri(parseNameAddr(contact, false).uri, false).host) : '';
  if (isPrivateAddress(host)) found.push(`Contact ${host}`);
  const sdp = sdpOf(e, m);
  const c = sdp?.media.find((x) => x.port > 0 && isPrivateAddress(x.connection))?.connection;
  if (c) found.push(`SDP c=${c}`);
  return found;
}

/**
 * SIP written behind a NAT: private addresses in Via, Contact or SDP while the packet comes from a
 * public address (media and in-dialog requests will go to the private one unless something fixes
 * it), or a Via that the next hop had to mark with received= because it came from elsewhere.
 */
export const natMismatch: Rule = {
  codes: [{ code: 'nat-mismatch', severity: 'warning', description: 'private (RFC 1918/6598, ULA) addresses in SDP/Contact/Via of packets from a public address, or Via received= differing from sent-by' }],
  mayFire: (s) => s.streams > 0 || has(s, FROM_PUBLIC | VIA_RECEIVED),
  check(e) {
    const seen = new Set<string>();
    for (const m of e.messages) {
      if (m.retrans || !isPublicAddress(m.src)) continue;
      const firstFromHere = !seen.has(m.src);
      seen.add(m.src);
      if (!firstFromHere && !m.hasSdp) continue;
      const inside = privateInside(e, m);
      if (inside.length > 0) {
        const f: Finding = {
          code: 'nat-mismatch',
          // A private Via alone is fixed by received/rport as a matter of course; Contact and SDP are what break calls.
          severity: inside.every((x) => x.startsWith('Via')) ? 'info' : 'warning',
          text: `${m.method || m.status} from ${source(m)} (public) carries private ${inside.join(', ')}: the sender is behind NAT`,
          message: m.id,
        };
        return [f];
      }
    }
    // Media from a public address no SDP named, while the SDP named private ones: the NAT case (a LAN relay is not).
    const latched = e.streams.find((s) => s.origin === 'nat' && s.packets >= MIN_PACKETS && isPublicAddress(s.src));
    if (latched && e.messages.some((m) => m.hasSdp && sdpOf(e, m)?.media.some((x) => isPrivateAddress(x.connection)))) {
      return [{
        code: 'nat-mismatch',
        severity: 'warning',
        text: `RTP ${streamName(latched)} comes from an address no SDP of the call named: the sender is behind NAT`,
        stream: latched.id as StreamId,
      }];
    }
    for (const m of e.messages) {
      if (m.status === 0 || m.retrans) continue;
      if (!e.viaMayHaveReceived(m.id)) break;
      const top = readVia(headers(e, m.id, 'Via')[0] ?? '');
      const received = top.params['received'];
      if (received && isPrivateAddress(top.host) && isPublicAddress(received) && received !== top.host) {
        return [{
          code: 'nat-mismatch',
          // The next hop saw the NAT and marked it: it is being handled, so this is the evidence, not the fault.
          severity: 'info',
          text: `Via sent-by ${top.host} but the next hop received it from ${received}${top.params['rport'] ? `:${top.params['rport']}` : ''}: the sender is behind NAT`,
          message: m.id,
        }];
      }
      break;
    }
    return [];
  },
};
