import { sharedPcap } from '../support/shared-pcaps.js';
import { Decoder } from '../../src/decode/decoder.js';
import { openFile } from '../../src/source/file-source.js';
import { Store, type StoreOptions } from '../../src/store/store.js';

/** A capture from ../shared/pcaps (beside the repository), read into a fresh Store. */
export async function loadCapture(rel: string, opts: StoreOptions = {}): Promise<Store> {
  const path = sharedPcap(rel);
  const source = openFile(path);
  const store = new Store({ readAt: source.readAt?.bind(source), ...opts });
  const decoder = new Decoder({ datagram: (d) => store.addDatagram(d), skip: (r) => store.skip(r) });
  await source.start({ frame: (f) => decoder.push(f) });
  decoder.flush();
  return store;
}
