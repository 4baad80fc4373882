/**
 * Whose turn it is on the embedded database. PGlite has one connection: a
 * query outside a transaction, or a transaction from its begin to its end,
 * holds it alone, and the rest wait. PGlite's own lock lets them in by
 * arrival, so an upload waited behind every job statement queued before it
 * (about 40 ms at the median under bench:ingest's load, when the upload's
 * own transaction takes 7). Here, waiting work goes first: turns asked for
 * background work (jobs, periodic passes; @loupe/common's work priority)
 * wait while others do, but never longer than `agingMs` once the database
 * is free, so a steady stream of requests cannot starve the jobs.
 */
export const BACKGROUND_AGING_MS = 50;

interface Turn {
  askedAt: number;
  go(release: () => void): void;
}

export class PgliteTurns {
  private readonly foreground: Turn[] = [];
  private readonly background: Turn[] = [];
  private busy = false;

  constructor(
    private readonly agingMs = BACKGROUND_AGING_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Runs `start` in its turn and resolves with its result. The turn ends
   * when `start` settles, or, with `holdUntil` (a transaction's begin), when
   * the promise `holdUntil` makes of the result settles (its end).
   */
  take<T>(background: boolean, start: () => Promise<T>, holdUntil?: (value: T) => Promise<unknown>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const go = (release: () => void) => {
        const started = Promise.resolve().then(start);
        started.then(resolve, reject);
        started
          .then((value) => holdUntil?.(value))
          .then(release, release);
      };
      (background ? this.background : this.foreground).push({ askedAt: this.now(), go });
      this.next();
    });
  }

  /** Turns waiting, for tests and metrics. */
  get waiting(): { foreground: number; background: number } {
    return { foreground: this.foreground.length, background: this.background.length };
  }

  private next(): void {
    if (this.busy) return;
    const turn = this.pick();
    if (!turn) return;
    this.busy = true;
    let released = false;
    turn.go(() => {
      if (released) return;
      released = true;
      this.busy = false;
      this.next();
    });
  }

  private pick(): Turn | undefined {
    const oldest = this.background[0];
    if (oldest && (this.foreground.length === 0 || this.now() - oldest.askedAt >= this.agingMs)) return this.background.shift();
    return this.foreground.shift();
  }
}
