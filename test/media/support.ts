import { parseOptions, withSettings } from '../../src/cli/options.js';
import { defaultSettings } from '../../src/config/settings.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { openFile } from '../../src/source/file-source.js';

export { sharedPcap } from '../support/shared-pcaps.js';

/** Reads a capture through the real pipeline, as `sipscope -I path [-r]` does. */
export async function loadCapture(path: string, rtp = false): Promise<Pipeline> {
  const opts = { ...withSettings(parseOptions(['-I', path]), defaultSettings()), rtp };
  const pipeline = new Pipeline(openFile(path), opts);
  await pipeline.run();
  return pipeline;
}
