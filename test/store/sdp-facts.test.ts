import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sdpSessions } from '../../src/media/sdp-endpoints.js';
import { sdpFacts } from '../../src/sip/sdp-facts.js';
import { SDP_NONE, SDP_UNRECORDED, SdpFactsTable } from '../../src/store/sdp-facts-table.js';
import { NO_SDP_READ, SdpReader } from '../../src/sip/sdp-scan.js';
import { scanPlaces, scanSip } from '../../src/sip/message.js';
import { StringTable } from '../../src/store/string-table.js';
import { invite } from '../sip/fixtures.js';

const sdp = (...lines: string[]) => ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', ...lines, ''].join('\r\n');
const facts = (body: string) => sdpFacts(sdpSessions(invite('f@h', [], body))[0]!);
const reader = new SdpReader();
/** What the store hands the table: the SDP body read where it lies in the message. */
const read = (body: string) => {
  const payload = invite('f@h', [], body);
  const places = scanPlaces();
  scanSip(payload, undefined, places);
  return reader.read(payload, places.sdp, places.sdpEnd);
};

test('SDP facts: media, port, address, direction and codec names per m= line', () => {
  assert.deepEqual(facts(sdp('m=audio 4000 RTP/AVP 8 18 101', 'a=rtpmap:101 telephone-event/8000', 'a=sendonly', 'm=video 0 RTP/AVP 96', 'c=IN IP4 192.0.2.9', 'm=image 5000 udptl T38')), {
    media: [
      { media: 'audio', port: 4000, connection: '192.0.2.1', direction: 'sendonly', codecs: ['PCMA', 'G729', 'telephone-event'] },
      { media: 'video', port: 0, connection: '192.0.2.9', direction: 'sendrecv', codecs: ['PT 96'] },
      { media: 'image', port: 5000, connection: '192.0.2.1', direction: 'sendrecv', codecs: ['t38'] },
    ],
  });
  assert.deepEqual(facts(sdp('m=audio 4000 RTP/AVP constructor')).media[0]!.codecs, ['PT constructor'], 'only the table\'s own entries are static codecs');
});

test('SDP facts table: what goes in comes out, shapes shared; odd SDP is left unrecorded', () => {
  const table = new SdpFactsTable(new StringTable());
  const bodies = [sdp('m=audio 4000 RTP/AVP 0 8'), sdp('m=audio 4002 RTP/AVP 0 8').replace('192.0.2.1', '192.0.2.3')];
  const [a, b] = bodies.map(facts);
  const refs = [table.add(read(bodies[0]!)), table.add(read(bodies[1]!)), table.add(NO_SDP_READ)];
  assert.deepEqual(table.get(refs[0]!), a);
  assert.deepEqual(table.get(refs[1]!), b);
  assert.equal(refs[2], SDP_NONE);
  assert.equal(table.get(SDP_NONE), undefined);
  assert.equal(table.get(refs[0]!)!.media[0]!.codecs, table.get(refs[1]!)!.media[0]!.codecs, 'one shape for both');
  assert.equal(table.add(read(sdp('m=audio 99999999999 RTP/AVP 0'))), SDP_UNRECORDED, 'a port no column holds');
  assert.equal(table.add(read(sdp(...Array.from({ length: 17 }, (_, i) => `m=audio ${4000 + 2 * i} RTP/AVP 0`)))), SDP_UNRECORDED);
  assert.equal(table.add(read(sdp(`c=IN IP4 ${'x'.repeat(65)}`, 'm=audio 4000 RTP/AVP 0'))), SDP_UNRECORDED);
});

test('SDP facts table: shapes are told by their facts, whichever reader numbered them', () => {
  const table = new SdpFactsTable(new StringTable());
  // The lead-in's reader and the decoding thread's give the same m= line different shape ids.
  const other = new SdpReader();
  const readBy = (r: SdpReader, body: string) => {
    const payload = invite('f@h', [], body);
    const places = scanPlaces();
    scanSip(payload, undefined, places);
    return r.read(payload, places.sdp, places.sdpEnd);
  };
  const one = sdp('m=audio 4000 RTP/AVP 0 8');
  const two = sdp('m=audio 4000 RTP/AVP 0 8', 'm=video 5000 RTP/AVP 96');
  const first = readBy(reader, one);
  const firstId = first.sections[0]!.shape.id;
  const refs = [table.add(first), table.add(readBy(other, one)), table.add(readBy(reader, two)), table.add(readBy(other, two))];
  assert.notEqual(readBy(other, one).sections[0]!.shape.id, firstId);
  assert.equal(table.codecKey(refs[0]!), table.codecKey(refs[1]!));
  assert.equal(table.codecKey(refs[2]!), table.codecKey(refs[3]!));
  assert.notEqual(table.codecKey(refs[0]!), table.codecKey(refs[2]!));
  // Facts do not see the transport: SRTP with the same codecs is the same shape for them.
  assert.equal(table.codecKey(table.add(readBy(other, sdp('m=audio 4002 RTP/SAVP 0 8')))), table.codecKey(refs[0]!));
  assert.deepEqual(table.get(refs[3]!), facts(two));
  assert.notEqual(table.codecKey(table.add(readBy(reader, sdp('m=audio 0 RTP/AVP 0 8')))), table.codecKey(refs[0]!), 'a zero port counts');
});
