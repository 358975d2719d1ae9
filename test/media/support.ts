import { parseOptions, withSettings } from '../../src/cli/options.js';
import { defaultSettings } from '../../src/config/settings.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { openFile } from '../../src/source/file-source.js';

/** A shared capture, from dist/test/<folder>/. */
export function sharedPcap(rel: string): string {
  return new URL(`../../../../shared/pcaps/${rel}`, import.meta.url).pathname;
}

/** Reads a capture through the real pipeline, as `sipscope -I path [-r]` does. */
export async function loadCapture(path: string, rtp = false): Promise<Pipeline> {
  const opts = { ...withSettings(parseOptions(['-I', path]), defaultSettings()), rtp };
  const pipeline = new Pipeline(openFile(path), opts);
  await pipeline.run();
  return pipeline;
}
