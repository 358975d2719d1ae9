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
  /** True once a file source has been read to the end. */
  done: boolean;
  /** User-facing warnings (truncated file, -O write error, …), newest last. */
  warnings: string[];
}
