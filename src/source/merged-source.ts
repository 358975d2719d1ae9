import type { CaptureCounters, Frame, FrameSink, FrameSource, SourceEnd } from '../model/frame.js';

/**
 * Several inputs read at once as one source: a file or local capture together with HEP
 * listeners (-I/-d with -L). Frames are renumbered in arrival order; byte access goes to the
 * one seekable input, whose frames alone carry file offsets. Ends when every input has ended
 * (or on stop()); the first input to fail stops the others and fails the whole.
 */
export function mergeSources(sources: FrameSource[]): FrameSource {
  if (sources.length === 1) return sources[0]!;
  const seekable = sources.find((s) => s.readAt);
  const counted = sources.filter((s) => s.stats);
  const stop = (): void => {
    for (const s of sources) s.stop();
  };
  return {
    name: sources.map((s) => s.name).join(' + '),
    live: sources.some((s) => s.live),
    readAt: seekable?.readAt?.bind(seekable),
    stats: counted.length === 0 ? undefined : (): CaptureCounters => {
      const sum = { received: 0, dropped: 0, ifDropped: 0 };
      for (const s of counted) {
        const c = s.stats!();
        sum.received += c.received;
        sum.dropped += c.dropped;
        sum.ifDropped += c.ifDropped;
      }
      return sum;
    },
    stop,
    release: () => {
      for (const s of sources) {
        s.stop();
        s.release?.();
      }
    },
    async start(sink: FrameSink): Promise<SourceEnd> {
      let index = 0;
      const renumbered = (f: Frame): void => {
        f.index = ++index; // the frame is the sink's only during this call (a file reader's record is refilled next)
        sink.frame(f);
      };
      // Open once every input is. The link type of the first input goes on when every input knew its
      // own at open (-d with -L); a file's is known only from its first frame, so then none is given.
      let closedInputs = sources.length;
      const linktypes: (number | undefined)[] = [];
      const opened = (k: number) => (linktype?: number): void => {
        linktypes[k] = linktype;
        if (--closedInputs > 0) return;
        sink.opened?.(linktypes.every((l) => l !== undefined) ? linktypes[0] : undefined);
      };
      const ends = await Promise.all(sources.map((s, k) => {
        // Only a file reports progress; a listener's would overwrite it.
        const progress = s === seekable ? sink.progress?.bind(sink) : undefined;
        return s.start({ frame: renumbered, progress, opened: opened(k), secrets: sink.secrets?.bind(sink), skip: sink.skip?.bind(sink), warn: sink.warn?.bind(sink), backlog: sink.backlog?.bind(sink), hepLog: sink.hepLog?.bind(sink) }).catch((err: unknown) => {
          stop();
          throw err;
        });
      }));
      return { frames: index, truncated: ends.map((e) => e.truncated).filter((t) => t !== undefined).join('; ') || undefined };
    },
  };
}
