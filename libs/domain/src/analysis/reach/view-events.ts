import type { ViralityTier } from '@loupe/config';
import type { ContentStatus } from '@loupe/vocabulary';

/** One view count from the platform: cumulative counts for one item at one time. */
export interface ViewEvent {
  contentId: string;
  views: number;
  shares?: number;
  reports?: number;
  observedAt: Date;
}

/** What is known of an item before a batch: its status, the time it was posted, last sample and the tiers it crossed. */
export interface ReachState {
  status: ContentStatus;
  /** The first count's velocity is measured from it. */
  postedAt: Date;
  last: { views: number; observedAt: Date; velocityPerHour: number } | null;
  tiers: number[];
}

export type ViewEventResult =
  | { index: number; contentId: string; status: 'applied'; views: number; viewsPerHour: number; tiersCrossed: number[] }
  | { index: number; contentId: string; status: 'rejected'; code: 'content.not_found' | 'views.out_of_order' | 'views.count_decreased'; message: string };

export interface SampleRow {
  contentId: string;
  views: number;
  velocityPerHour: number;
  shares: number | null;
  reports: number | null;
  observedAt: Date;
}

export interface TierCrossing {
  contentId: string;
  tier: number;
  action: ViralityTier['action'];
  velocityPerHour: number;
  views: number;
  crossedAt: Date;
}

export interface AppliedViews {
  results: ViewEventResult[];
  samples: SampleRow[];
  /** Each item's reach after the batch: its last applied sample. */
  latest: Map<string, SampleRow>;
  crossings: TierCrossing[];
}

/**
 * Applies a batch of view counts to what is known of the items, in order
 * of observation per item (a batch may carry several counts of one item):
 * each count either applies (a sample, the velocity since the last, the
 * tiers newly crossed) or is rejected on its own, so one bad item never
 * holds back the rest.
 *
 * Velocity is views per hour since the previous sample (or since upload);
 * counts a second apart or less say nothing about it, so the last estimate
 * stands. Only allowed content crosses tiers: a tier exists to re-check
 * what was let through, and an item crosses each tier once, ever.
 */
export function applyViewEvents(events: ViewEvent[], states: Map<string, ReachState>, tiers: ViralityTier[]): AppliedViews {
  const order = events.map((event, index) => ({ event, index }));
  // Stable: counts of one item at the same instant keep the batch's order.
  order.sort((a, b) => (a.event.contentId < b.event.contentId ? -1 : a.event.contentId > b.event.contentId ? 1 : a.event.observedAt.getTime() - b.event.observedAt.getTime() || a.index - b.index));
  const results: ViewEventResult[] = new Array(events.length);
  const samples: SampleRow[] = [];
  const latest = new Map<string, SampleRow>();
  const crossings: TierCrossing[] = [];
  for (const { event, index } of order) {
    const { contentId } = event;
    const state = states.get(contentId);
    if (!state) {
      results[index] = { index, contentId, status: 'rejected', code: 'content.not_found', message: `No content ${contentId}` };
      continue;
    }
    const since = state.last ?? { views: 0, observedAt: state.postedAt, velocityPerHour: 0 };
    const hours = (event.observedAt.getTime() - since.observedAt.getTime()) / 3600_000;
    if (state.last && hours < 0) {
      results[index] = { index, contentId, status: 'rejected', code: 'views.out_of_order', message: `This count is older than the last one recorded (${since.observedAt.toISOString()})` };
      continue;
    }
    if (event.views < since.views) {
      results[index] = { index, contentId, status: 'rejected', code: 'views.count_decreased', message: `The count ${event.views} is lower than the ${since.views} already recorded` };
      continue;
    }
    const velocityPerHour = hours > 1 / 3600 ? (event.views - since.views) / hours : since.velocityPerHour;
    const sample: SampleRow = { contentId, views: event.views, velocityPerHour, shares: event.shares ?? null, reports: event.reports ?? null, observedAt: event.observedAt };
    samples.push(sample);
    latest.set(contentId, sample);
    state.last = { views: event.views, observedAt: event.observedAt, velocityPerHour };
    const crossed: number[] = [];
    if (state.status === 'allowed') {
      for (const tier of tiers) {
        if (tier.viewsPerHour > velocityPerHour || state.tiers.includes(tier.viewsPerHour)) continue;
        state.tiers.push(tier.viewsPerHour);
        crossed.push(tier.viewsPerHour);
        crossings.push({ contentId, tier: tier.viewsPerHour, action: tier.action, velocityPerHour, views: event.views, crossedAt: event.observedAt });
      }
    }
    results[index] = { index, contentId, status: 'applied', views: event.views, viewsPerHour: velocityPerHour, tiersCrossed: crossed };
  }
  return { results, samples, latest, crossings };
}
