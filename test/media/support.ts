import { parseOptions, type Options } from '../../src/cli/options.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { openFile } from '../../src/source/file-source.js';
import { defaultSettings } from '../../src/config/settings.js';

/** A shared capture, from dist/test/<folder>/. */
export function sharedPcap(rel: string): string {
  return new URL(`../../../../shared/pcaps/${rel}`, import.meta.url).pathname;
}

/** Reads a capture through the real pipeline, as `sipscope -I path [-r]` does. */
export async function loadCapture(path: string, rtp = false): Promise<Pipeline> {
  const opts: Options = { device: 'any', bufferBytes: 0, limit: 0, rotate: false, ascii: false, diag: defaultSettings().diag, ...parseOptions(['-I', path]), rtp };
  const pipeline = new Pipeline(openFile(path), opts);
  await pipeline.run();
  return pipeline;
}
