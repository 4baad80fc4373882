import { Injectable, Logger } from '@nestjs/common';
import { MissesRepository, MissRollupRepository, StoredViolation, TransactionManager } from '@loupe/database';
import { DEFAULT_CAUSE_OPTIONS } from './miss-causes';
import { confirmedViolations } from './miss-cohort';
import { LetThrough, nearestBankedHashes, violationKey } from './nearest-banked-hashes';
import { toStoredViolation } from './violation-record';

/** Items recomputed per transaction: short enough that the one PGlite connection is not held for long. */
const BATCH = 1_000;
/** A day's scores are binned once it ended this long ago: a transaction still open at midnight has committed by then. */
const CLOSE_LAG_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
const ALL_TIME = { from: new Date(-8.64e15), to: new Date(8.64e15) };

/**
 * Keeps the missed-violations rollup current: the confirmed violations of
 * every item the triggers marked dirty since the last refresh, computed
 * from the item's whole history by the same pure code as before, and the
 * acting scores of each day that has ended, binned. The analysis sweep
 * runs it in the background, and every misses report runs it first, so a
 * report is as current as a live one while reading only what changed.
 */
@Injectable()
export class MissesRollupService {
  private readonly logger = new Logger(MissesRollupService.name);
  private running: Promise<number> | null = null;

  constructor(
    private readonly records: MissesRepository,
    private readonly rollup: MissRollupRepository,
    private readonly transactions: TransactionManager,
  ) {}

  /** Folds in what changed; the number of items recomputed. Calls in one process share one refresh; processes share the dirty items. */
  refresh(now = new Date()): Promise<number> {
    this.running ??= this.fold(now).finally(() => (this.running = null));
    return this.running;
  }

  private async fold(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const taken = await this.transactions.run(async () => {
        const ids = await this.rollup.takeDirty(BATCH);
        if (ids.length > 0) await this.rollup.replaceViolations(ids, await this.violationsOf(ids));
        return ids.length;
      });
      total += taken;
      if (taken < BATCH) break;
    }
    if (total >= BATCH) this.logger.log(`Missed-violations rollup: ${total} items recomputed`);
    await this.foldScoreDays(now);
    return total;
  }

  private async violationsOf(contentIds: string[]): Promise<StoredViolation[]> {
    const violations = confirmedViolations(await this.records.historyOf(contentIds), ALL_TIME.from, ALL_TIME.to);
    const lets = violations.filter((v): v is LetThrough => v.allowed !== null && v.allowed.by !== 'human');
    const nearest = await nearestBankedHashes(this.records, lets, DEFAULT_CAUSE_OPTIONS.hashMargin);
    return violations.map((v) => toStoredViolation(v, nearest.get(violationKey(v)) ?? null));
  }

  private async foldScoreDays(now: Date): Promise<void> {
    const closedUntil = new Date(Math.floor((now.getTime() - CLOSE_LAG_MS) / DAY_MS) * DAY_MS);
    // Days binned already whose scores changed since (a restore, a hand edit, a sample history moved back in time).
    const rebinned = await this.transactions.run(() => this.rollup.rebinChangedDays());
    if (rebinned > 0) this.logger.log(`Score bins: ${rebinned} day(s) binned again`);
    const folded = await this.rollup.scoresFoldedUntil();
    if (folded) {
      if (folded < closedUntil) await this.rollup.foldScoreDays(folded, closedUntil);
      return;
    }
    // The first fold starts at the first score's day; marked even when that day is still open, so the search runs once.
    const first = await this.rollup.firstScoreDay();
    if (first) await this.rollup.foldScoreDays(first, first < closedUntil ? closedUntil : first);
  }
}
