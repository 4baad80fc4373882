import { Injectable } from '@nestjs/common';
import { ActiveWatchRecord, ContentRow, TrendRepository } from '@loupe/database';
import { itemTerms } from '../analysis/trends/item-terms';

/** How long a process reuses the watches it read: a watch made now holds uploads from a few seconds later on every process. */
export const WATCH_CACHE_MS = 5_000;

/** The first watch (oldest trend first) whose term the item carries, in its hashtags or caption; null when none. */
export function matchWatch(watches: readonly ActiveWatchRecord[], item: Pick<ContentRow, 'hashtags' | 'caption'>, now: Date): ActiveWatchRecord | null {
  if (watches.length === 0) return null;
  const terms = new Set(itemTerms(item.hashtags ?? [], item.caption ?? null));
  return watches.find((w) => w.until > now && terms.has(w.subject)) ?? null;
}

/**
 * The trend watches in force, for ingest: an analyst who sees a trend
 * burst holds new uploads that carry its term for review (trend work of
 * kind watch) until the models learn it. Read once per WATCH_CACHE_MS per
 * process, since every upload asks; making a watch clears this process's copy.
 */
@Injectable()
export class TrendWatches {
  private cached: { readAt: number; watches: ActiveWatchRecord[] } | null = null;

  constructor(private readonly trends: TrendRepository) {}

  async match(item: Pick<ContentRow, 'hashtags' | 'caption'>, now = new Date()): Promise<ActiveWatchRecord | null> {
    if (!this.cached || now.getTime() - this.cached.readAt > WATCH_CACHE_MS) this.cached = { readAt: now.getTime(), watches: await this.trends.activeWatches(now) };
    return matchWatch(this.cached.watches, item, now);
  }

  /** Forget what was read: a watch was made or ended here. */
  invalidate(): void {
    this.cached = null;
  }
}
