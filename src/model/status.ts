/** What the header line shows about the input while it runs. */
export interface CaptureStatus {
  mode: 'Online' | 'Offline';
  /** File path, "stdin", device name or listener address. */
  input: string;
  /** BPF filter given on the command line, '' when none. */
  bpf: string;
  /** Match expression, '' when none. */
  match: string;
  /** Bytes read so far and total (0 when unknown), for the file progress indicator. */
  bytesRead: number;
  bytesTotal: number;
  frames: number;
  /** Frames per second over the last second. */
  framesPerSecond: number;
  /** libpcap drops, when known. */
  dropped?: number;
  /** Packets the source received (libpcap, HEP sockets), when known. */
  received?: number;
  /** One entry per output sink (-O, -H). */
  outputs?: OutputCounters[];
  /** True once a file source has been read to the end. */
  done: boolean;
  /** User-facing warnings (truncated file, -O write error, …), newest last. */
  warnings: string[];
}

/** What an output sink (-O, -H) reports: what it wrote and how often writing failed. */
export interface OutputCounters {
  /** Short name for the header, e.g. "-O out.pcap" or "HEP udp:10.0.0.9:9060". */
  label: string;
  written: number;
  errors: number;
}
