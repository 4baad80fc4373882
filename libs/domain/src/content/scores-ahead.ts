/**
 * Results started before the job that needs them, kept a short while for
 * it in this process: a video's frames are scored while the media job still
 * decodes it, and the classify job takes the scores instead of running the
 * backbone after the decode (docs/benchmarks.md, "2026-12-05, 16:30").
 *
 * An entry is taken once, and only with the same key (the heads that were
 * to run) and the same number of frames as the job finds; anything else, an
 * expired entry, or a frame that failed, and the job scores the frames
 * itself. Entries nobody takes (the job ran in another worker process)
 * expire, and at most `maxItems` are kept.
 */
export class ScoresAhead<T> {
  private readonly entries = new Map<string, { key: string; frames: Promise<T>[]; expires: number }>();

  constructor(
    private readonly keepMs: number,
    private readonly maxItems: number,
    /** Told of each entry dropped untaken (expired, or the oldest beyond maxItems): work done for nothing. */
    private readonly onDropped: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts an item's entry (replacing an earlier one, a retried media job's); the returned function adds its frames in order. */
  begin(id: string, key: string): (frame: Promise<T>) => void {
    this.prune();
    const entry = { key, frames: [] as Promise<T>[], expires: this.now() + this.keepMs };
    if (this.entries.delete(id)) this.onDropped();
    this.entries.set(id, entry);
    while (this.entries.size > this.maxItems) this.drop(this.entries.keys().next().value!);
    return (frame) => {
      // Seen here, so a failure nobody takes is not an unhandled rejection.
      frame.catch(() => undefined);
      entry.frames.push(frame);
    };
  }

  /**
   * The item's frames, resolved, if its entry matches; null if it has one
   * that does not (or a frame failed); undefined if it has none. The entry
   * is gone either way.
   */
  async take(id: string, key: string, frames: number): Promise<T[] | null | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (entry.key !== key || entry.frames.length !== frames || entry.expires < this.now()) return null;
    return Promise.all(entry.frames).catch(() => null);
  }

  private prune(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expires < now) this.drop(id);
  }

  private drop(id: string): void {
    this.entries.delete(id);
    this.onDropped();
  }
}
