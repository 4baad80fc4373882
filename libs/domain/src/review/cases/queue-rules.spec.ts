import type { RoutingRuleRow } from '@loupe/database';
import { bestKeyedQueue, CaseFacts, conditionsHold, defaultQueueFor, firstMatchingRule, KeyedQueue, modelUncertain } from './queue-rules';
import { expectedHarm, maxSeverity } from './expected-harm';

const facts: CaseFacts = { source: 'model', policyIds: ['adult_nudity'], maxScore: 0.7, region: 'DE', language: 'de', severity: 'high' };
const rule = (over: Partial<RoutingRuleRow>): RoutingRuleRow =>
  ({ id: 'r', position: 0, name: 'r', enabled: true, conditions: {}, queueId: 'q', consensusReviews: null, createdAt: new Date(0), ...over }) as RoutingRuleRow;

describe('routing rules', () => {
  it('hold when every listed condition does', () => {
    expect(conditionsHold({}, facts)).toBe(true);
    expect(conditionsHold({ languages: ['de', 'at'], regions: ['DE'], sources: ['model'] }, facts)).toBe(true);
    expect(conditionsHold({ languages: ['en'] }, facts)).toBe(false);
    expect(conditionsHold({ policyIds: ['spam', 'adult_nudity'] }, facts)).toBe(true);
    expect(conditionsHold({ policyIds: ['spam'] }, facts)).toBe(false);
  });

  it('read a score band as [minScore, maxScore), and never hold a band for an unscored case', () => {
    expect(conditionsHold({ minScore: 0.6, maxScore: 0.8 }, facts)).toBe(true);
    expect(conditionsHold({ minScore: 0.7 }, facts)).toBe(true);
    expect(conditionsHold({ maxScore: 0.7 }, facts)).toBe(false);
    expect(conditionsHold({ minScore: 0.1 }, { ...facts, maxScore: null })).toBe(false);
  });

  it('pick the first enabled matching rule by position', () => {
    const rules = [
      rule({ id: 'late', position: 5, queueId: 'german' }),
      rule({ id: 'off', position: 0, enabled: false, queueId: 'never' }),
      rule({ id: 'first', position: 1, conditions: { languages: ['de'] }, queueId: 'de-nudity' }),
    ];
    expect(firstMatchingRule(rules, facts)?.id).toBe('first');
    expect(firstMatchingRule(rules, { ...facts, language: 'fr' })?.id).toBe('late');
    expect(firstMatchingRule([], facts)).toBeNull();
    expect(defaultQueueFor('appeal')).toBe('appeals');
    expect(defaultQueueFor('report')).toBe('default');
  });
});

describe('expected harm', () => {
  const base = { severity: 'high' as const, probability: 0.5, views: 0, viewsPerHour: 0, reports: 0 };
  it('grows with severity, probability, reach, velocity and reports', () => {
    const h = expectedHarm(base);
    expect(expectedHarm({ ...base, severity: 'critical' })).toBeGreaterThan(h);
    expect(expectedHarm({ ...base, probability: 0.9 })).toBeGreaterThan(h);
    expect(expectedHarm({ ...base, views: 10_000 })).toBeGreaterThan(h);
    expect(expectedHarm({ ...base, viewsPerHour: 1_000 })).toBeGreaterThan(expectedHarm({ ...base, views: 1_000 }));
    expect(expectedHarm({ ...base, reports: 3 })).toBeGreaterThan(expectedHarm({ ...base, reports: 1 }));
  });

  it('keeps a floor so that a zero score still ranks by severity', () => {
    expect(expectedHarm({ ...base, probability: 0, severity: 'critical' })).toBeGreaterThan(expectedHarm({ ...base, probability: 0, severity: 'low' }));
  });

  it('takes the highest severity', () => {
    expect(maxSeverity(['low', 'critical', 'medium'])).toBe('critical');
    expect(maxSeverity([])).toBe('medium');
  });
});

describe('queues keyed by policy area, language and region', () => {
  const queue = (id: string, over: Partial<KeyedQueue>): KeyedQueue => ({ id, policyIds: [], languages: [], regions: [], seniorOnly: false, ...over });

  it('take a case whose facts fit every key they set, the most specific first', () => {
    const queues = [
      queue('default', {}),
      queue('nudity', { policyIds: ['adult_nudity'] }),
      queue('nudity-de', { policyIds: ['adult_nudity'], languages: ['de'] }),
      queue('nudity-de-at', { policyIds: ['adult_nudity'], languages: ['de'], regions: ['AT'] }),
      queue('spam-de', { policyIds: ['spam'], languages: ['de'] }),
    ];
    expect(bestKeyedQueue(queues, facts)).toBe('nudity-de');
    expect(bestKeyedQueue(queues, { ...facts, region: 'AT' })).toBe('nudity-de-at');
    expect(bestKeyedQueue(queues, { ...facts, language: 'fr' })).toBe('nudity');
    expect(bestKeyedQueue(queues, { ...facts, policyIds: ['harassment'] })).toBeNull();
  });

  it('never key a case to a senior queue or to one that sets no key', () => {
    expect(bestKeyedQueue([queue('senior', { seniorOnly: true, languages: ['de'] }), queue('default', {})], facts)).toBeNull();
  });
});

describe('model uncertainty', () => {
  const nudity = { id: 'adult_nudity', reviewThreshold: 0.6, removeThreshold: 0.95 };
  const spam = { id: 'spam', reviewThreshold: 0.3, removeThreshold: 0.9 };

  it('is measured from each policy\'s own thresholds, so the default margin triggers just above the review threshold', () => {
    // The old rule compared with 0.5, below where any case opens: with the defaults it never triggered.
    expect(modelUncertain({ adult_nudity: 0.65 }, [nudity], 0.1)).toBe(true);
    expect(modelUncertain({ adult_nudity: 0.78 }, [nudity], 0.1)).toBe(false);
    expect(modelUncertain({ adult_nudity: 0.9 }, [nudity], 0.1)).toBe(true);
    expect(modelUncertain({ adult_nudity: 0.5 }, [nudity], 0.1)).toBe(true);
  });

  it('looks at every scored policy of the case, and a margin of 0 turns it off', () => {
    expect(modelUncertain({ adult_nudity: 0.78, spam: 0.35 }, [nudity, spam], 0.1)).toBe(true);
    expect(modelUncertain({ adult_nudity: 0.78 }, [nudity, spam], 0.1)).toBe(false);
    expect(modelUncertain({ adult_nudity: 0.6 }, [nudity], 0)).toBe(false);
  });

  it('ignores a threshold at 0 or 1, which no item can fall on the other side of', () => {
    const everything = { id: 'adult_nudity', reviewThreshold: 0, removeThreshold: 1 };
    expect(modelUncertain({ adult_nudity: 0.02 }, [everything], 0.1)).toBe(false);
    expect(modelUncertain({ adult_nudity: 0.97 }, [everything], 0.1)).toBe(false);
  });
});
