import type { SettledLabelRecord } from '@loupe/database';
import { estimatePolicies, judgementsOf, scoreJudgements } from './judgements';
import { consensusHistory, N, review, V } from './testing/review-history';


describe('judgementsOf', () => {
  it('judges each policy the case asked about, the labels name, or the gold answer names; a policy left out is not violated', () => {
    const r = review('alice', 'x', [{ policyId: 'spam', violating: true }], { gold: [{ policyId: 'eating_disorder_promotion', violating: false, nuance: 'recovery' }] });
    const js = judgementsOf([r]);
    expect(js.map((j) => [j.policyId, j.given, j.gold])).toEqual([
      ['adult_nudity', false, { violating: false, nuance: null }],
      ['eating_disorder_promotion', false, { violating: false, nuance: 'recovery' }],
      ['spam', true, { violating: false, nuance: null }],
    ]);
    expect(judgementsOf([r], 'spam').map((j) => j.policyId)).toEqual(['spam']);
  });
});

describe('estimatePolicies and scoreJudgements on the consensus history', () => {
  const judgements = judgementsOf(consensusHistory());
  const estimates = estimatePolicies(judgements);
  const nudity = estimates.get('adult_nudity')!;

  it("recovers every item's true label", () => {
    for (let i = 0; i < 8; i++) expect(nudity.items.get(`item-${i}`)).toMatchObject({ violating: i < 3, reviewers: 3 });
  });

  it('ranks Carol, who always says no, lowest, with a low sensitivity', () => {
    const accuracyOf = (id: string) => {
      const w = nudity.result.workers.find((x) => x.workerId === id)!;
      return nudity.result.priors[0] * w.confusion[0][0] + nudity.result.priors[1] * w.confusion[1][1];
    };
    expect(accuracyOf('carol')).toBeLessThan(accuracyOf('bob'));
    expect(accuracyOf('bob')).toBeLessThan(accuracyOf('alice'));
    expect(nudity.result.workers.find((x) => x.workerId === 'carol')!.confusion[1][1]).toBeLessThan(0.4);
  });

  it('scores against gold first, then the label that stands unless it is the decision alone, then the estimate', () => {
    const reviews = consensusHistory();
    const carolOn6 = reviews.find((r) => r.moderatorId === 'carol' && r.contentId === 'item-6')!;
    const aliceOn3 = reviews.find((r) => r.moderatorId === 'alice' && r.contentId === 'item-3')!;
    const settled: SettledLabelRecord[] = [
      // Item 6 settled by consensus, Carol's the last review: her own decision still counts as judged.
      { contentId: 'item-6', labels: N, provenance: 'consensus', decisionId: carolOn6.decisionId, labellerId: 'carol', labelledAt: carolOn6.createdAt, note: null },
      // Item 3 settled by Alice's decision as a senior (say): hers falls back to the estimate.
      { contentId: 'item-3', labels: N, provenance: 'senior', decisionId: aliceOn3.decisionId, labellerId: 'alice', labelledAt: aliceOn3.createdAt, note: 'a statue' },
    ];
    const scored = scoreJudgements(judgementsOf(reviews), settled, estimates);
    const of = (m: string, c: string) => scored.find((s) => s.moderatorId === m && s.contentId === c)!;
    expect(of('carol', 'item-6').reference).toMatchObject({ source: 'settled', violating: false, provenance: 'consensus' });
    expect(of('alice', 'item-3').reference).toMatchObject({ source: 'estimated', violating: false });
    expect(of('bob', 'item-3')).toMatchObject({ correct: false, reference: { source: 'settled', note: 'a statue' } });
    expect(of('bob', 'item-4')).toMatchObject({ correct: false, reference: { source: 'estimated', violating: false, reviewers: 3 } });
    expect(scored.filter((s) => s.moderatorId === 'carol' && !s.correct).map((s) => s.contentId)).toEqual(['item-0', 'item-1', 'item-2']);
  });

  it('leaves out what nobody else saw: a single review is not scored against itself', () => {
    const single = [review('dave', 'lonely', V)];
    const js = judgementsOf(single);
    const settled: SettledLabelRecord[] = [{ contentId: 'lonely', labels: V, provenance: 'single_review', decisionId: single[0].decisionId, labellerId: 'dave', labelledAt: single[0].createdAt, note: null }];
    expect(scoreJudgements(js, settled, estimatePolicies(js))).toEqual([]);
  });

  it('takes a moderator’s latest label on an item, once, into the estimate', () => {
    const twice = [review('alice', 'x', V), review('alice', 'x', N), review('bob', 'x', N)];
    const estimate = estimatePolicies(judgementsOf(twice)).get('adult_nudity')!;
    expect(estimate.items.get('x')).toMatchObject({ violating: false, reviewers: 2 });
  });
});
