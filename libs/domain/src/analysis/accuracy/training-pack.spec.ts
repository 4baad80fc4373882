import type { SettledLabelRecord } from '@loupe/database';
import { estimatePolicies, judgementsOf, scoreJudgements } from './judgements';
import { consensusHistory, N, review, V } from './testing/review-history';
import { packCsv, packItems, previewUrlOf, reasonFor, storedAccuracy, targetAccuracy } from './training-pack';

const policy = {
  id: 'adult_nudity',
  title: 'Adult nudity and sexual activity',
  nuances: [{ id: 'artistic', title: 'Artistic nudity (allowed)', violating: false }],
};

function scored(settled: SettledLabelRecord[] = [], reviews = consensusHistory()) {
  const judgements = judgementsOf(reviews);
  return scoreJudgements(judgements, settled, estimatePolicies(judgements));
}

describe('packItems', () => {
  it("lists exactly the items the moderator got wrong, with the right answer and where it came from", () => {
    const items = packItems(scored(), { moderatorId: 'carol', policyId: 'adult_nudity' }, policy);
    expect(items.map((i) => [i.contentId, i.given, i.correct, i.source])).toEqual([
      ['item-0', false, true, 'estimated'],
      ['item-1', false, true, 'estimated'],
      ['item-2', false, true, 'estimated'],
    ]);
    expect(items[0].reason).toMatch(/^Outvoted: 3 moderators/);
  });

  it("lists a team's mistakes once per item", () => {
    const reviews = [...consensusHistory(), review('dave', 'item-3', V, { team: 'day' })];
    const items = packItems(scored([], reviews), { team: 'day', policyId: 'adult_nudity' }, policy);
    expect(items.map((i) => i.contentId)).toEqual(['item-3', 'item-4']);
  });

  it('keeps to the nuance asked for', () => {
    const reviews = consensusHistory().map((r) => (r.contentId === 'item-3' && r.moderatorId === 'alice' ? { ...r, labels: [{ ...N[0], nuance: 'artistic' }] } : r));
    const all = scored([], reviews);
    expect(packItems(all, { moderatorId: 'bob', policyId: 'adult_nudity', nuance: 'artistic' }, policy).map((i) => [i.contentId, i.nuance])).toEqual([['item-3', 'artistic']]);
    expect(targetAccuracy(all, { moderatorId: 'bob', policyId: 'adult_nudity', nuance: 'artistic' })).toMatchObject({ decisions: 1, correct: 0, accuracy: 0 });
  });
});

describe('reasonFor', () => {
  const base = scored().find((s) => s.moderatorId === 'carol' && s.contentId === 'item-0')!;
  it("prefers the deciding review's note, then the nuance's title, then how the answer was reached", () => {
    expect(reasonFor({ ...base, reference: { ...base.reference, note: 'explicit act' } }, policy)).toBe('explicit act');
    expect(reasonFor({ ...base, reference: { violating: false, nuance: 'artistic', source: 'gold' } }, policy)).toBe('Artistic nudity (allowed): does not violate "Adult nudity and sexual activity"');
    expect(reasonFor({ ...base, reference: { violating: true, nuance: null, source: 'gold' } }, policy)).toBe('Gold answer: violates "Adult nudity and sexual activity"');
    expect(reasonFor({ ...base, reference: { violating: true, nuance: null, source: 'settled', provenance: 'senior' } }, policy)).toMatch(/^Settled by a senior moderator/);
  });
});

describe('accuracy before and after', () => {
  it('counts the target’s scored decisions, since a moment when given', () => {
    const all = scored();
    const target = { moderatorId: 'carol', policyId: 'adult_nudity' };
    expect(targetAccuracy(all, target)).toMatchObject({ decisions: 8, correct: 5, accuracy: 5 / 8 });
    expect(targetAccuracy(all, target, new Date(Date.UTC(2030, 0, 1)))).toEqual({ decisions: 0, correct: 0, accuracy: null, interval: null });
  });

  it('rebuilds the interval of a stored accuracy', () => {
    expect(storedAccuracy(0.625, 8)).toMatchObject({ decisions: 8, correct: 5, accuracy: 0.625 });
    expect(storedAccuracy(null, 0).interval).toBeNull();
  });
});

describe('packCsv', () => {
  it('quotes reasons and gives each item its blurred preview', () => {
    const text = packCsv('adult_nudity', [{ contentId: 'c1', given: false, correct: true, nuance: null, reason: 'nude, "explicit"', source: 'gold' }]);
    expect(text.split('\n')[1]).toBe(`c1,adult_nudity,not_violating,violating,,gold,"nude, ""explicit""",${previewUrlOf('c1')}`);
  });
});
