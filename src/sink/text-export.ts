/** What the text export needs of a message. */
export interface ExportedMessage {
  ts: bigint;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  bytes: Buffer;
}

/**
 * sngrep's "save as .txt": per message a header line with local date and time to the
 * microsecond and both addresses, then the message text, then a blank line.
 */
export function exportText(messages: Iterable<ExportedMessage>, out: (chunk: string) => void): void {
  for (const m of messages) {
    out(`${localStamp(m.ts)} ${endpoint(m.src, m.sport)} -> ${endpoint(m.dst, m.dport)}\n${m.bytes.toString('utf8')}\n\n`);
  }
}

/** YYYY/MM/DD HH:MM:SS.uuuuuu in local time, as sngrep prints it. */
export function localStamp(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000n));
  const micros = Number((ns / 1000n) % 1_000_000n);
  return `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(micros).padStart(6, '0')}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** IPv6 addresses are bracketed so the port stays unambiguous. */
function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
