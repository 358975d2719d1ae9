import { fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseRsaKeys, TlsSecrets } from '../decode/tls-keys.js';
import { InputError } from '../model/errors.js';
import { describeIoError } from '../source/byte-reader.js';

export { TLS_KEY_LOG } from '../source/pcapng.js';

/**
 * The TLS secrets of a run: -k RSA server keys and the --keylog file, read now and again on
 * a miss (a browser or softphone appends to it while a live capture runs). onUse hears each
 * secret a session used, as a key log line.
 */
export function openTlsSecrets(keyFiles: string[], keylog: string, onUse: (line: string) => void): TlsSecrets {
  const keys = keyFiles.flatMap((file) => {
    let pem: string;
    try {
      pem = readFileSync(file, 'latin1');
    } catch (err) {
      throw new InputError(`-k ${file}: ${describeIoError(err)}`);
    }
    try {
      return parseRsaKeys(pem);
    } catch (err) {
      throw new InputError(`-k ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  if (!keylog) return new TlsSecrets(keys, undefined, onUse);
  const reader = new GrowingFile(keylog);
  const secrets = new TlsSecrets(keys, () => reader.more(), onUse);
  secrets.add(reader.more());
  return secrets;
}

/** A text file read from where the last read stopped. */
class GrowingFile {
  private readonly fd: number;
  private offset = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (err) {
      throw new InputError(`--keylog ${path}: ${describeIoError(err)}`);
    }
  }

  more(): string {
    try {
      const size = fstatSync(this.fd).size;
      if (size <= this.offset) return '';
      const buf = Buffer.alloc(size - this.offset);
      const n = readSync(this.fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      return buf.toString('latin1', 0, n);
    } catch {
      return '';
    }
  }
}
