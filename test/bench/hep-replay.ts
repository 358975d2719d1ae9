// A child process of the HEP bench: sends a recording of `sipscope -H` (HEP3 packets back to back,
// as -H wrote them to a TCP collector) to a UDP port at a fixed rate, in order. Replaying instead
// of running -H at each rate keeps the offered load independent of the sender's own cost, so the
// bench measures the receiver. Prints one JSON line: packets sent, seconds, CPU seconds.
//   node hep-replay.js FILE PORT RATE
import dgram from 'node:dgram';
import { closeSync, openSync, readSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const [file, portText, rateText] = process.argv.slice(2);
const port = Number(portText);
const rate = Number(rateText);
/** Read this much of the recording at a time; a packet is at most 64 KiB. */
const CHUNK = 4 << 20;
/**
 * At most this much of the rate goes out at once after a late wake (on a busy machine wakes are
 * late): a burst the receive buffer must hold, 1,000 packets at 50k/s.
 */
const BURST_MS = 20;

const sock = dgram.createSocket('udp4');
await new Promise<void>((resolve) => sock.connect(port, '127.0.0.1', resolve));
const fd = openSync(file!, 'r');
let held: Buffer = Buffer.alloc(0);
let eof = false;

/** The next packet of the recording, undefined at its end. */
function next(): Buffer | undefined {
  if (held.length < 6 || held.length < held.readUInt16BE(4)) {
    if (eof) return undefined;
    // A fresh buffer each time: packets handed to send() may still be queued in libuv.
    const chunk = Buffer.allocUnsafe(CHUNK + held.length);
    held.copy(chunk);
    const n = readSync(fd, chunk, held.length, CHUNK, null);
    eof = n === 0;
    held = chunk.subarray(0, held.length + n);
    if (held.length < 6) return undefined;
  }
  const len = held.readUInt16BE(4);
  const packet = held.subarray(0, len);
  held = held.subarray(len);
  return packet;
}

const cpu = process.cpuUsage();
const started = performance.now();
let sent = 0;
for (let p = next(); p !== undefined;) {
  const due = Math.min(Math.floor(((performance.now() - started) * rate) / 1000), sent + Math.ceil((rate * BURST_MS) / 1000));
  while (sent < due && p !== undefined) {
    sock.send(p);
    sent++;
    p = next();
  }
  // Yield so libuv sends what is queued; the next packet is due in 1000/rate ms.
  await sleep(1);
}
const seconds = (performance.now() - started) / 1000;
closeSync(fd);
await new Promise<void>((resolve) => sock.close(resolve));
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ sent, seconds, cpu: (used.user + used.system) / 1e6 })}\n`);
