import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { BankIndexRepository } from '@loupe/database';
import { IndexHit, ThreadedPdqIndex } from '@loupe/index';
import { LoupeMetrics } from '@loupe/metrics';

const LOAD_PAGE = 50_000;
/** How far back each poll re-reads the change log; see BankIndexRepository.recentChanges. */
const CHANGE_WINDOW_SECONDS = 120;
/** Change rows older than this are pruned; a process that was away longer reloads at start. */
const CHANGE_RETENTION_SECONDS = 24 * 3600;

/**
 * This process's in-memory PDQ index over every active bank hash, held in
 * worker threads. It loads once at start, then follows the change log, so a
 * new or disabled entry takes effect within a poll interval in every api and
 * worker process, and the index is never rebuilt while it serves.
 */
@Injectable()
export class MatchIndexService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MatchIndexService.name);
  private index: ThreadedPdqIndex | null = null;
  private ready: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** A refresh was asked for while a poll was running: poll again right after it. */
  private dirty = false;
  private readonly applied = new Map<number, number>(); // seq → when applied
  private highestApplied = 0;
  private windowSeconds = CHANGE_WINDOW_SECONDS;
  private lastPrune = 0;
  private stopped = false;

  constructor(
    private readonly bankIndex: BankIndexRepository,
    private readonly config: LoupeConfig,
    // Absent in the CLI's contexts, which search without serving.
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.process.mode === 'cli') return;
    this.ready = this.load();
    // Start-up must not wait for a large index; searches wait for it instead.
    this.ready.catch((error) => this.logger.error(`Loading the match index failed: ${(error as Error).message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ready?.catch(() => undefined);
    await this.polling;
    await this.index?.close();
  }

  /**
   * Index hits for the queries within the largest distance any bank uses
   * (each bank's own threshold is the caller's to apply); waits for the first load.
   */
  async search(queries: string[]): Promise<IndexHit[]> {
    if (queries.length === 0) return [];
    await (this.ready ??= this.load());
    // A change committed anywhere before this search started is applied
    // before it runs: one lookup per search (with the banks' widest distance)
    // buys that guarantee, so a removal in one process stops a re-upload in another at once.
    const { latestSeq, maxPdqDistance } = await this.bankIndex.searchState();
    if (latestSeq > this.highestApplied && !this.polling) this.poll();
    while (this.polling) await this.polling;
    // The index's own time: the threads' search, not the wait for the first load or a change.
    const timed = this.metrics?.indexLookup.startTimer();
    try {
      return await this.index!.search(queries, maxPdqDistance);
    } finally {
      timed?.();
    }
  }

  /** Applies the change log now rather than at the next tick; call it after committing a bank change. */
  refreshSoon(): void {
    if (!this.index || this.stopped) return;
    if (this.polling) {
      this.dirty = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.poll();
  }

  async stats(): Promise<{ size: number; memoryBytes: number; method: string } | null> {
    return this.index ? this.index.stats() : null;
  }

  private async load(): Promise<void> {
    const started = Date.now();
    this.index = await ThreadedPdqIndex.start({ threads: this.config.index.threads });
    // Everything logged up to here is in the load below (or re-read in the window after it).
    const loadedUpTo = await this.bankIndex.latestSeq();
    const total = await this.bankIndex.countActiveItems();
    let loaded = 0;
    let afterId = 0;
    for (;;) {
      const page = await this.bankIndex.activeItems(afterId, LOAD_PAGE);
      if (page.length === 0) break;
      await this.index.addMany(page);
      loaded += page.length;
      afterId = page[page.length - 1].id;
      if (total > LOAD_PAGE) this.logger.log(`Match index: ${loaded}/${total} hashes loaded`);
    }
    // Changes made while loading must be re-read; widen the first window to cover the load.
    this.windowSeconds = CHANGE_WINDOW_SECONDS + Math.ceil((Date.now() - started) / 1000);
    await this.applyChanges();
    this.windowSeconds = CHANGE_WINDOW_SECONDS;
    this.highestApplied = Math.max(this.highestApplied, loadedUpTo);
    this.logger.log(`Match index ready: ${loaded} hashes in ${Date.now() - started} ms`);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), this.config.index.pollMs);
  }

  private tick(): void {
    this.timer = null;
    if (this.polling || this.stopped) {
      this.schedule();
      return;
    }
    this.poll();
  }

  private poll(): void {
    this.dirty = false;
    this.polling = this.applyChanges()
      .catch((error) => this.logger.warn(`Match index refresh failed: ${(error as Error).message}`))
      .finally(() => {
        this.polling = null;
        if (this.dirty && !this.stopped) this.poll();
        else this.schedule();
      });
  }

  private async applyChanges(): Promise<void> {
    const changes = await this.bankIndex.recentChanges(this.windowSeconds);
    for (const change of changes) {
      if (this.applied.has(change.seq)) continue;
      if (change.op === 'add') {
        await this.index!.addMany(await this.bankIndex.hashesOf(change.itemIds));
      } else {
        await this.index!.remove(change.itemIds);
      }
      this.applied.set(change.seq, Date.now());
      this.highestApplied = Math.max(this.highestApplied, change.seq);
      this.logger.debug(`Applied index change ${change.seq}: ${change.op} ${change.itemIds.length} items`);
    }
    const horizon = Date.now() - (this.windowSeconds + 60) * 1000;
    for (const [seq, at] of this.applied) if (at < horizon) this.applied.delete(seq);
    if (Date.now() - this.lastPrune > 3600_000) {
      this.lastPrune = Date.now();
      await this.bankIndex.pruneChanges(CHANGE_RETENTION_SECONDS);
    }
  }
}
