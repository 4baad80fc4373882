import type { ViralityTier } from '@loupe/config';
import { applyViewEvents, ReachState } from './view-events';

const TIERS: ViralityTier[] = [
  { viewsPerHour: 1000, action: 'rescore' },
  { viewsPerHour: 10_000, action: 'review' },
];
const T0 = new Date('2026-12-01T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3600_000);
const state = (over: Partial<ReachState> = {}): ReachState => ({ status: 'allowed', postedAt: T0, last: null, tiers: [], ...over });

describe('applyViewEvents', () => {
  it('derives velocity from the upload, then from the last sample, and crosses each tier once', () => {
    const states = new Map([['a', state()]]);
    const first = applyViewEvents([{ contentId: 'a', views: 500, observedAt: at(1) }], states, TIERS);
    expect(first.results[0]).toMatchObject({ status: 'applied', viewsPerHour: 500, tiersCrossed: [] });
    const second = applyViewEvents([{ contentId: 'a', views: 2_500, observedAt: at(2) }], states, TIERS);
    expect(second.results[0]).toMatchObject({ viewsPerHour: 2_000, tiersCrossed: [1000] });
    // Both tiers at once: 1000 is already crossed, so only 10,000 is new.
    const third = applyViewEvents([{ contentId: 'a', views: 52_500, observedAt: at(3) }], states, TIERS);
    expect(third.results[0]).toMatchObject({ viewsPerHour: 50_000, tiersCrossed: [10_000] });
    expect(third.crossings).toEqual([expect.objectContaining({ contentId: 'a', tier: 10_000, action: 'review', views: 52_500 })]);
    const fourth = applyViewEvents([{ contentId: 'a', views: 200_000, observedAt: at(4) }], states, TIERS);
    expect(fourth.crossings).toEqual([]);
  });

  it('orders a batch by observation per item, and rejects each bad count on its own', () => {
    const states = new Map([
      ['a', state({ last: { views: 100, observedAt: at(1), velocityPerHour: 100 } })],
      ['b', state()],
    ]);
    const { results, samples, latest } = applyViewEvents(
      [
        { contentId: 'a', views: 300, observedAt: at(3) },
        { contentId: 'a', views: 200, observedAt: at(2) },
        { contentId: 'zz', views: 5, observedAt: at(2) },
        { contentId: 'a', views: 50, observedAt: at(4) },
        { contentId: 'a', views: 400, observedAt: at(0.5) },
        { contentId: 'b', views: 10, observedAt: at(1), shares: 2, reports: 1 },
      ],
      states,
      TIERS,
    );
    expect(results.map((r) => (r.status === 'applied' ? r.viewsPerHour : r.code))).toEqual([100, 100, 'content.not_found', 'views.count_decreased', 'views.out_of_order', 10]);
    expect(samples.map((s) => [s.contentId, s.views])).toEqual([
      ['a', 200],
      ['a', 300],
      ['b', 10],
    ]);
    expect(latest.get('a')?.views).toBe(300);
    expect(latest.get('b')).toMatchObject({ shares: 2, reports: 1 });
  });

  it('keeps the last velocity for counts a second apart, and never crosses tiers for content not allowed', () => {
    const states = new Map([
      ['a', state({ last: { views: 100, observedAt: at(1), velocityPerHour: 42 } })],
      ['r', state({ status: 'removed' })],
    ]);
    const { results, crossings } = applyViewEvents(
      [
        { contentId: 'a', views: 150, observedAt: new Date(at(1).getTime() + 500) },
        { contentId: 'r', views: 1_000_000, observedAt: at(1) },
      ],
      states,
      TIERS,
    );
    expect(results[0]).toMatchObject({ status: 'applied', viewsPerHour: 42 });
    expect(results[1]).toMatchObject({ status: 'applied', viewsPerHour: 1_000_000, tiersCrossed: [] });
    expect(crossings).toEqual([]);
  });
});
