import { isIPv6 } from 'node:net';

export type EndpointProtocol = 'udp' | 'tcp';

export interface Endpoint {
  protocol: EndpointProtocol;
  address: string;
  port: number;
}

/**
 * 'udp:ADDR:PORT', 'tcp:ADDR:PORT', 'ADDR', '[V6ADDR]:PORT', a bare IPv6 address; the protocol
 * defaults to the first allowed one, the port to defaultPort. Undefined when malformed.
 */
export function parseEndpoint(spec: string, defaultPort: number, allowed: readonly EndpointProtocol[]): Endpoint | undefined {
  const m0 = /^(udp|tcp):/i.exec(spec);
  const protocol = (m0 ? m0[1]!.toLowerCase() : allowed[0]!) as EndpointProtocol;
  if (!allowed.includes(protocol)) return undefined;
  const rest = m0 ? spec.slice(m0[0].length) : spec;
  if (isIPv6(rest)) return { protocol, address: rest, port: defaultPort };
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(rest);
  if (!m) return undefined;
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  return port > 0 && port < 65536 ? { protocol, address: (m[1] ?? m[2])!, port } : undefined;
}
