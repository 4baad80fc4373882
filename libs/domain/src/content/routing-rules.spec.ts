import { routeByScores, RoutingPolicy } from './routing-rules';

const policies: RoutingPolicy[] = [
  { id: 'adult_nudity', severity: 'high', reviewThreshold: 0.6, removeThreshold: 0.95 },
  { id: 'spam', severity: 'low', reviewThreshold: 0.5, removeThreshold: 0.9 },
];

describe('routeByScores', () => {
  it('removes when a score reaches the remove threshold, inclusive', () => {
    const route = routeByScores(policies, { adult_nudity: 0.95 });
    expect(route.outcome).toBe('removed');
    expect(route.policyIds).toEqual(['adult_nudity']);
    expect(route.reason).toContain('adult_nudity scored 0.950 >= remove threshold 0.950');
  });

  it('sends a borderline score to review with a priority of severity times score', () => {
    const route = routeByScores(policies, { adult_nudity: 0.7, spam: 0.1 });
    expect(route.outcome).toBe('in_review');
    expect(route.policyIds).toEqual(['adult_nudity']);
    expect(route.priority).toBeCloseTo(3 * 0.7);
  });

  it('allows when no score reaches a review threshold', () => {
    const route = routeByScores(policies, { adult_nudity: 0.59, spam: 0.49 });
    expect(route).toMatchObject({ outcome: 'allowed', policyIds: [], priority: 0 });
  });

  it('lets removal win over review, and records the thresholds it compared', () => {
    const route = routeByScores(policies, { adult_nudity: 0.7, spam: 0.95 });
    expect(route.outcome).toBe('removed');
    expect(route.policyIds).toEqual(['spam']);
    expect(route.thresholds).toEqual({ adult_nudity: { review: 0.6, remove: 0.95 }, spam: { review: 0.5, remove: 0.9 } });
  });

  it('ignores policies without a score', () => {
    expect(routeByScores(policies, {}).outcome).toBe('allowed');
  });
});
