import { InputError } from '../model/errors.js';
import { CaptureFileOutput } from './pcap-writer.js';

/** Writes the chunks `produce` hands over to `path` as UTF-8; InputError (one line) when the file cannot be written. */
export function writeTextFile(path: string, produce: (out: (chunk: string) => void) => void): void {
  const out = new CaptureFileOutput(path, Buffer.alloc(0));
  try {
    produce((chunk) => {
      if (!out.append(Buffer.from(chunk, 'utf8'))) throw new InputError(out.error ?? `cannot write ${path}`);
    });
  } finally {
    out.close();
  }
}
