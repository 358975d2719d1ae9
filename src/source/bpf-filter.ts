import { closeSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../model/errors.js';
import type { Frame, FrameSink, FrameSource, SourceEnd } from '../model/frame.js';
import { MAX_CAPLEN } from './pcap-classic.js';
import { keptFrame } from './file-frame.js';
import { loadPcapBinding, type PcapBinding } from './pcap-binding.js';

/** Bytes of records judged at once: one temporary file and one libpcap pass per batch (or per input chunk). */
const BATCH_BYTES = 4 << 20;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/** A frame's position in its batch travels through libpcap as the record's seconds. */
const MAX_BATCH_FRAMES = 0xffff_ffff;
const LINKTYPE_ETHERNET = 1;

/**
 * The trailing BPF filter on capture files and streams, as tcpdump -r and sngrep -I apply it:
 * libpcap compiles the filter for the input's link type and runs it over every record; frames
 * it rejects never reach the sink. node_pcap offers libpcap's filter only on pcap_open_offline,
 * so records are judged in batches: written (with their position as the timestamp) to a
 * temporary pcap file, which libpcap reads with the filter set; the positions it hands back pass.
 * A batch ends at the end of each input chunk, so a stream on stdin is not held back.
 */
export function filterByBpf(source: FrameSource, bpf: string): FrameSource {
  const binding = loadPcapBinding(`the BPF filter '${bpf}' on ${source.name === 'stdin' ? 'stdin' : 'a capture file'}`);
  // A filter that libpcap cannot compile even for Ethernet is refused before anything is read.
  const check = new Batch(binding, bpf, { frame: () => {} });
  try {
    check.flush(LINKTYPE_ETHERNET);
  } finally {
    check.dispose();
  }
  return {
    name: source.name,
    live: source.live,
    stop: () => source.stop(),
    release: () => source.release?.(),
    readAt: source.readAt?.bind(source),
    async start(sink: FrameSink): Promise<SourceEnd> {
      const batch = new Batch(binding, bpf, sink);
      try {
        const end = await source.start({
          frame: (f) => batch.add(f),
          opened: sink.opened?.bind(sink),
          progress: (read, total) => {
            batch.flush();
            sink.progress?.(read, total);
          },
          secrets: sink.secrets?.bind(sink),
          skip: sink.skip?.bind(sink),
          warn: sink.warn?.bind(sink),
          backlog: sink.backlog?.bind(sink),
        });
        batch.flush();
        return end;
      } finally {
        batch.dispose();
      }
    },
  };
}

class Batch {
  private readonly path = join(tmpdir(), `sipscope-bpf-${process.pid}-${Math.random().toString(36).slice(2)}.pcap`);
  private fd = -1;
  private readonly buf = Buffer.allocUnsafe(FILE_HEADER + BATCH_BYTES + RECORD_HEADER + MAX_CAPLEN);
  private used = FILE_HEADER;
  private linktype = -1;
  private readonly frames: Frame[] = [];
  private readonly packet = Buffer.allocUnsafe(MAX_CAPLEN);
  private readonly header = Buffer.alloc(16);

  constructor(
    private readonly binding: PcapBinding,
    private readonly bpf: string,
    private readonly sink: FrameSink,
  ) {}

  add(f: Frame): void {
    if (f.linktype !== this.linktype || this.used + RECORD_HEADER + f.data.length > this.buf.length || this.frames.length === MAX_BATCH_FRAMES) {
      this.flush();
      this.linktype = f.linktype;
    }
    const at = this.used;
    this.buf.writeUInt32LE(this.frames.length, at);
    this.buf.writeUInt32LE(0, at + 4);
    this.buf.writeUInt32LE(f.data.length, at + 8);
    this.buf.writeUInt32LE(Math.max(f.origLen, f.data.length), at + 12);
    f.data.copy(this.buf, at + RECORD_HEADER);
    this.used = at + RECORD_HEADER + f.data.length;
    // The frame's bytes are only valid during this call: from now on they are read from the batch.
    this.frames.push(keptFrame(f, this.buf.subarray(at + RECORD_HEADER, this.used)));
  }

  /**
   * Judges the frames gathered so far and hands the passing ones on, in their order. With
   * `linktype` and no frames it only has libpcap compile the filter for that link type.
   */
  flush(linktype?: number): void {
    if (linktype !== undefined) this.linktype = linktype;
    else if (this.frames.length === 0) return;
    const pass = this.judge();
    const frames = this.frames.splice(0);
    this.used = FILE_HEADER;
    for (let i = 0; i < frames.length; i++) if (pass[i] === 1) this.sink.frame(frames[i]!);
  }

  private judge(): Uint8Array {
    this.buf.writeUInt32LE(0xa1b2c3d4, 0); // microsecond pcap, this host's byte order
    this.buf.writeUInt16LE(2, 4);
    this.buf.writeUInt16LE(4, 6);
    this.buf.writeInt32LE(0, 8);
    this.buf.writeUInt32LE(0, 12);
    this.buf.writeUInt32LE(MAX_CAPLEN, 16);
    this.buf.writeUInt32LE(this.linktype, 20);
    if (this.fd < 0) this.fd = openSync(this.path, 'w', 0o600);
    ftruncateSync(this.fd, 0);
    writeSync(this.fd, this.buf, 0, this.used, 0);

    const pass = new Uint8Array(this.frames.length);
    const session = new this.binding.PcapSession();
    const header = this.header;
    const onPacket = (): void => {
      const i = header.readUInt32LE(0);
      if (i < pass.length) pass[i] = 1;
    };
    try {
      session.open_offline(this.path, this.bpf, 0, MAX_CAPLEN, '', onPacket, false, 0, () => {}, false);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const on = this.frames.length === 0 ? '' : ` on this capture's link type ${this.linktype}`;
      throw new InputError(`invalid BPF filter '${this.bpf}'${on}: ${reason}`);
    }
    session.dispatch(this.packet, header);
    // close() only flags libpcap's loop; the next dispatch frees the handle and its file.
    session.close();
    session.dispatch(this.packet, header);
    return pass;
  }

  dispose(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone (a tmp cleaner): nothing to remove.
    }
  }
}
