/**
 * Results started before the job that needs them, kept a short while for
 * it in this process: a video's frames are scored while the media job still
 * decodes it, and the classify job takes the scores instead of running the
 * backbone after the decode (docs/benchmarks.md, "2026-12-05, 15:20").
 *
 * An entry is taken once, and only with the same key (the heads that were
 * to run) and the same number of frames as the job finds; otherwise, or
 * when a frame failed, the job scores the frames itself. An entry's time
 * starts when its media job has finished adding frames (a long video's
 * decode does not use it up); entries nobody takes in that time (the
 * classify job ran in another worker process) are dropped, and at most
 * `maxItems` are kept, the oldest dropped first.
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

  /**
   * Starts an item's entry (replacing an earlier one, a retried media job's):
   * `add` takes its frames in order, `finish` starts its time once all are
   * added, and `discard` removes it (its media job failed: no classify job
   * will come for it).
   */
  begin(id: string, key: string): { add(frame: Promise<T>): void; finish(): void; discard(): void } {
    this.prune();
    const entry = { key, frames: [] as Promise<T>[], expires: Infinity };
    if (this.entries.delete(id)) this.onDropped();
    this.entries.set(id, entry);
    while (this.entries.size > this.maxItems) this.drop(this.entries.keys().next().value!);
    return {
      add: (frame) => {
        // Seen here, so a failure nobody takes is not an unhandled rejection.
        frame.catch(() => undefined);
        entry.frames.push(frame);
      },
      finish: () => {
        entry.expires = this.now() + this.keepMs;
      },
      discard: () => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
      },
    };
  }

  /**
   * The item's frames, resolved, if its entry matches; null if it has one
   * that does not (or a frame failed); undefined if it has none (or it
   * expired, which counts as dropped). The entry is gone either way.
   */
  async take(id: string, key: string, frames: number): Promise<T[] | null | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expires < this.now()) {
      this.drop(id);
      return undefined;
    }
    this.entries.delete(id);
    if (entry.key !== key || entry.frames.length !== frames) return null;
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
