/**
 * The rules read single headers from a message's bytes (header-bytes.ts) instead of the full parse:
 * both must read every header alike, on every message of every shared capture and on the odd
 * layouts the parse tolerates (folding, bare LF, compact names, lines without a colon).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { MessageId } from '../../src/model/ids.js';
import { headerValueIn, headerValuesIn } from '../../src/diagnose/header-bytes.js';
import { headerValue, headerValues, parseSipMessage } from '../../src/sip/message.js';
import { parseOptions, withSettings } from '../../src/cli/options.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { defaultSettings } from '../../src/config/settings.js';
import { openFile } from '../../src/source/file-source.js';
import { sharedPcap } from '../support/cli.js';

/** The headers the rules read, in the spellings they ask for, besides every name a message has. */
const ASKED = [
  'Diversion', 'History-Info', 'Accept', 'Warning', 'Reason', 'Retry-After', 'Max-Forwards', 'Contact', 'Via', 'From',
  'P-Asserted-Identity', 'P-Preferred-Identity', 'Remote-Party-ID', 'Authorization', 'Proxy-Authorization', 'Call-ID', 'i',
];

/** Differences between the byte reader and the parse on one message, as lines for the assertion. */
function differences(buf: Buffer, where: string): string[] {
  const parsed = parseSipMessage(buf);
  const names = new Set([...ASKED, ...parsed.headers.flatMap((h) => [h.name, h.rawName])]);
  const out: string[] = [];
  for (const name of names) {
    const one = headerValueIn(buf, name);
    const all = headerValuesIn(buf, name);
    if (one !== headerValue(parsed, name)) out.push(`${where} ${name}: ${JSON.stringify(one)} vs ${JSON.stringify(headerValue(parsed, name))}`);
    if (JSON.stringify(all) !== JSON.stringify(headerValues(parsed, name))) out.push(`${where} ${name}: ${JSON.stringify(all)} vs ${JSON.stringify(headerValues(parsed, name))}`);
  }
  return out;
}

const LAYOUTS: Record<string, string> = {
  folded: 'INVITE sip:b@h SIP/2.0\r\nDiversion: <sip:1@h>;reason=busy,\r\n <sip:2@h>\r\n\t;counter=2\r\nTo: <sip:b@h>\r\n\r\nbody',
  'bare LF': 'SIP/2.0 488 Not Here\nWarning: 304 h "no"\nAccept: application/sdp\n\nv=0\r\n\r\nx',
  'CRLF CRLF in the body after LF LF': 'SIP/2.0 488 Not Here\nAccept: a\n\nAccept: b\r\n\r\n',
  compact: 'INVITE sip:b@h SIP/2.0\r\nf: <sip:a@h>\r\nF: <sip:c@h>\r\nFROM: <sip:d@h>\r\nv: SIP/2.0/UDP h, SIP/2.0/UDP g\r\n\r\n',
  'no colon, then a continuation': 'INVITE sip:b@h SIP/2.0\r\nAccept: x\r\ngarbage line\r\n more\r\nAccept : y \r\n\r\n',
  'empty and blank values': 'SIP/2.0 503 Busy\r\nRetry-After:\r\nReason:   \r\n  \r\nWarning: a,, "b,c" , <d,e>\r\n\r\n',
  'no headers': 'SIP/2.0 200 OK\r\n\r\nAccept: body',
  'no blank line': 'SIP/2.0 200 OK\r\nAccept: a\r\nAccept: b',
  'space first, no header yet': 'SIP/2.0 200 OK\r\n Accept: a\r\nAccept: b\r\n\r\n',
  'a colon only past the line': 'SIP/2.0 200 OK\r\nAccept\r\n: b\r\nAccept:c\r\n\r\n',
};

test('the byte reader reads headers as the parse does on odd layouts', () => {
  const diffs = Object.entries(LAYOUTS).flatMap(([name, text]) => differences(Buffer.from(text, 'latin1'), name));
  assert.deepEqual(diffs, []);
  assert.deepEqual(headerValuesIn(Buffer.from(LAYOUTS['folded']!, 'latin1'), 'Diversion'), ['<sip:1@h>;reason=busy', '<sip:2@h> ;counter=2']);
});

test('the byte reader reads every header of every message of the shared captures as the parse does', async () => {
  const manifest = readFileSync(sharedPcap('MANIFEST.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t')[0]!).filter((p) => p !== '');
  let messages = 0;
  const diffs: string[] = [];
  for (const rel of manifest) {
    const path = sharedPcap(rel);
    const pipeline = new Pipeline(openFile(path), withSettings(parseOptions(['-N', '--no-diagnose', '-I', path]), defaultSettings()));
    try {
      // A file sipscope cannot read (a format it names) still has its messages read before the error checked.
      await pipeline.run().catch(() => undefined);
      const store = pipeline.store;
      for (let i = 0; i < store.messageCount(); i++) diffs.push(...differences(store.messageBytes(i as MessageId), `${rel} #${i}`));
      messages += store.messageCount();
    } finally {
      pipeline.close();
    }
  }
  assert.deepEqual(diffs.slice(0, 20), []);
  assert.ok(messages > 1000, `${messages} messages read`);
});
