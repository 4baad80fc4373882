import type { ContentDecisionRow } from '@loupe/database';
import { contentDecisionEvents } from './content-decision.events';

const decision = (values: Partial<ContentDecisionRow>): ContentDecisionRow => ({
  id: 'd2',
  contentId: 'c1',
  outcome: 'removed',
  source: 'human',
  reason: 'single review: adult_nudity violating',
  policyIds: ['adult_nudity'],
  modelVersion: null,
  bankEntryId: null,
  matchDistance: null,
  actorId: 'm1',
  overturnsDecisionId: null,
  thresholds: null,
  createdAt: new Date('2026-12-01T10:00:00Z'),
  ...values,
});

const types = (row: ContentDecisionRow, context: Parameters<typeof contentDecisionEvents>[1]) => contentDecisionEvents(row, context).map((e) => e.type);

describe('contentDecisionEvents', () => {
  it('always says content.decided, and adds what a status move means for the platform', () => {
    expect(types(decision({ outcome: 'removed' }), { statusChanged: true })).toEqual(['content.decided', 'content.removed']);
    expect(types(decision({ outcome: 'in_review', source: 'model' }), { statusChanged: true })).toEqual(['content.decided', 'content.sent_to_review']);
    expect(types(decision({ outcome: 'allowed', source: 'model' }), { statusChanged: true })).toEqual(['content.decided']);
    expect(types(decision({ outcome: 'allowed', overturnsDecisionId: 'd1' }), { statusChanged: true, appealId: 'a1' })).toEqual(['content.decided', 'content.reinstated']);
  });

  it('says only content.decided when the status did not move (an upheld appeal, a report found harmless)', () => {
    expect(types(decision({ outcome: 'removed' }), { statusChanged: false })).toEqual(['content.decided']);
    expect(types(decision({ outcome: 'allowed', overturnsDecisionId: 'd1' }), { statusChanged: false, appealId: 'a1' })).toEqual(['content.decided']);
  });

  it('carries the decision, and the appeal on a reinstatement', () => {
    const [, reinstated] = contentDecisionEvents(decision({ outcome: 'allowed', overturnsDecisionId: 'd1', policyIds: [] }), { statusChanged: true, appealId: 'a1' });
    expect(reinstated.data).toEqual({
      contentId: 'c1',
      decisionId: 'd2',
      outcome: 'allowed',
      source: 'human',
      reason: 'single review: adult_nudity violating',
      policyIds: [],
      overturnsDecisionId: 'd1',
      decidedAt: '2026-12-01T10:00:00.000Z',
      appealId: 'a1',
    });
  });
});
