import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openFile } from '../../src/source/file-source.js';
import { waitFor } from './ports.js';

/** Frames in a capture file another process is still writing (0 while not even its header is there). */
async function framesSaved(path: string): Promise<number> {
  try {
    const src = openFile(path);
    try {
      return (await src.start({ frame: () => {} })).frames;
    } finally {
      src.stop();
    }
  } catch {
    return 0;
  }
}

/**
 * Probes (a datagram, a connection attempt) until the -O file `out` holds a packet: libpcap is
 * then capturing (opening it takes from a few ms to seconds on a loaded machine).
 */
export async function untilCapturing(out: string, probe: () => void, running: () => boolean): Promise<void> {
  while ((await framesSaved(out)) === 0) {
    if (!running()) throw new Error('gave up waiting for the capture to start: the process ended');
    probe();
    await sleep(50);
  }
}

/** Until the -O file `out` holds `n` messages with each of these Call-IDs. */
export function untilSaved(out: string, callIds: readonly string[], n: number, running: () => boolean): Promise<void> {
  const count = (text: string, needle: string): number => text.split(needle).length - 1;
  return waitFor(`${n} messages of ${callIds.join(', ')} in ${out}`, () => {
    const text = readFileSync(out, 'latin1');
    return callIds.every((id) => count(text, `Call-ID: ${id}\r\n`) >= n);
  }, running);
}

/** Until the file `out` (a capture another process is writing) holds `n` matches of `pattern` (a /g regex over its bytes as latin1). */
export function untilMatched(out: string, pattern: RegExp, n: number, running: () => boolean): Promise<void> {
  return waitFor(`${n} × ${pattern} in ${out}`, () => (readFileSync(out, 'latin1').match(pattern)?.length ?? 0) >= n, running);
}
