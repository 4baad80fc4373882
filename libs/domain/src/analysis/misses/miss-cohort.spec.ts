import { arrivalScore, confirmedViolations } from './miss-cohort';
import { at, HistoryBuilder, PERIOD } from './testing/miss-history';

describe('confirmedViolations', () => {
  const of = (b: HistoryBuilder) => confirmedViolations(b.history, PERIOD.from, PERIOD.to);

  it('finds an item the model let through and a report later removed, with its views and time to removal', () => {
    const b = new HistoryBuilder().content('a', { region: 'FR', language: 'fr' });
    b.modelRouted('a', 1, 'allowed', { adult_nudity: 0.55 }, { adult_nudity: 0.6 });
    b.views('a', 5, 10).views('a', 30, 50);
    b.decision('a', 20, { id: 'rm', outcome: 'removed', source: 'human', caseSource: 'report', policyIds: ['adult_nudity'], actorId: 'mod' });
    expect(of(b)).toEqual([
      {
        contentId: 'a',
        policyId: 'adult_nudity',
        kind: 'image',
        region: 'FR',
        language: 'fr',
        uploadedAt: at(0),
        confirmedBy: 'report',
        confirmedAt: at(20),
        confirmationId: 'rm',
        removedAt: at(20),
        allowed: { decisionId: 'd1', by: 'model', at: at(1), actorId: null, caseSource: null },
        arrival: { score: 0.55, modelVersion: 'nsfwjs@1', reviewThreshold: 0.6 },
        viewsBeforeRemoval: 10,
        secondsToRemoval: 20 * 60,
      },
    ]);
  });

  it('counts items the model sent to review, or a bank removed, as caught; an overturned removal confirms nothing', () => {
    const b = new HistoryBuilder().content('review').content('bank').content('wrong');
    b.modelRouted('review', 1, 'in_review', { adult_nudity: 0.7 }, {});
    b.decision('review', 9, { outcome: 'removed', source: 'human', caseSource: 'model', policyIds: ['adult_nudity'] });
    b.decision('bank', 1, { outcome: 'removed', source: 'hash', policyIds: ['hate_symbols'] });
    b.modelRouted('wrong', 1, 'removed', { adult_nudity: 0.97 }, {});
    b.history.decisions[b.history.decisions.length - 1].overturned = true;
    b.decision('wrong', 30, { outcome: 'allowed', source: 'human', caseSource: 'appeal' });
    const found = of(b);
    expect(found.map((v) => [v.contentId, v.policyId, v.confirmedBy, v.allowed])).toEqual([
      ['bank', 'hate_symbols', 'hash', null],
      ['review', 'adult_nudity', 'review', null],
    ]);
    expect(found[0].arrival).toEqual({ score: null, modelVersion: null, reviewThreshold: null });
  });

  it('counts a removal on a quality sample of allowed content as a miss the sample found', () => {
    const b = new HistoryBuilder().content('a');
    b.modelRouted('a', 1, 'allowed', { adult_nudity: 0.2 }, { adult_nudity: 0.6 });
    b.decision('a', 15, { id: 'qa', outcome: 'removed', source: 'human', caseSource: 'sample', policyIds: ['adult_nudity'] });
    const [v] = of(b);
    expect(v).toMatchObject({ confirmedBy: 'sample', confirmationId: 'qa', allowed: { by: 'model', at: at(1) }, arrival: { score: 0.2, reviewThreshold: 0.6 } });
  });

  it('takes the first allow, a moderator’s when the model had sent the item to review', () => {
    const b = new HistoryBuilder().content('a');
    b.modelRouted('a', 1, 'in_review', { adult_nudity: 0.7 }, {});
    const allow = b.decision('a', 5, { outcome: 'allowed', source: 'human', caseSource: 'model', actorId: 'alice' });
    b.decision('a', 8, { outcome: 'allowed', source: 'human', caseSource: 'report', actorId: 'bob' });
    b.decision('a', 40, { outcome: 'removed', source: 'human', caseSource: 'virality', policyIds: ['adult_nudity'] });
    const [v] = of(b);
    expect(v.allowed).toEqual({ decisionId: allow, by: 'human', at: at(5), actorId: 'alice', caseSource: 'model' });
    expect(v.confirmedBy).toBe('virality');
    expect(v.arrival).toMatchObject({ score: 0.7, reviewThreshold: 0.6 });
  });

  it('keeps only first confirmations that fall in the period, one per item and policy', () => {
    const b = new HistoryBuilder().content('before', { at: -2000 }).content('after').content('twice');
    b.modelRouted('before', -1999, 'allowed', { adult_nudity: 0.1 }, {});
    b.decision('before', -1000, { outcome: 'removed', source: 'human', caseSource: 'report', policyIds: ['adult_nudity'] });
    b.decision('before', 100, { outcome: 'removed', source: 'human', caseSource: 'report', policyIds: ['adult_nudity'] });
    b.modelRouted('after', 1, 'allowed', { adult_nudity: 0.1 }, {});
    b.decision('after', 24 * 60 + 5, { outcome: 'removed', source: 'human', caseSource: 'report', policyIds: ['adult_nudity'] });
    b.modelRouted('twice', 1, 'allowed', { adult_nudity: 0.1 }, {});
    b.decision('twice', 10, { outcome: 'removed', source: 'human', caseSource: 'report', policyIds: ['adult_nudity', 'spam'] });
    expect(of(b).map((v) => [v.contentId, v.policyId])).toEqual([
      ['twice', 'adult_nudity'],
      ['twice', 'spam'],
    ]);
  });

  it('names a retro-hunt that removed an allowed item, once, and a gold answer that confirms without a removal', () => {
    const b = new HistoryBuilder().content('hunted').content('gold');
    b.modelRouted('hunted', 1, 'allowed', { adult_nudity: 0.3 }, {});
    b.decision('hunted', 50, { outcome: 'removed', source: 'model', policyIds: ['adult_nudity'] });
    b.history.findings.push({ contentId: 'hunted', huntId: 'h1', outcome: 'removed', policyIds: ['adult_nudity'], modelVersion: 'heads@2', score: 0.9, bankEntryId: null, distance: null, at: at(50.2) });
    b.modelRouted('gold', 1, 'allowed', { adult_nudity: 0.3 }, {});
    b.views('gold', 10, 7);
    b.history.gold.push({ goldItemId: 'g1', contentId: 'gold', labels: [{ policyId: 'self_harm', violating: true }, { policyId: 'adult_nudity', violating: false }], at: at(60) });
    const found = of(b);
    expect(found.map((v) => [v.contentId, v.policyId, v.confirmedBy, v.confirmationId])).toEqual([
      ['hunted', 'adult_nudity', 'retro_hunt', 'd2'],
      ['gold', 'self_harm', 'gold', 'g1'],
    ]);
    expect(found[1]).toMatchObject({ removedAt: null, secondsToRemoval: null, viewsBeforeRemoval: 7, arrival: { score: null, modelVersion: 'nsfwjs@1' } });
  });

  it('names a viral re-check that removed an allowed item on a re-score', () => {
    const b = new HistoryBuilder().content('viral');
    b.modelRouted('viral', 1, 'allowed', { adult_nudity: 0.3 }, {});
    b.decision('viral', 90, { outcome: 'removed', source: 'model', policyIds: ['adult_nudity'] });
    b.history.virality.push({ contentId: 'viral', tier: 1000, action: 'rescore', outcome: 'removed', at: at(90) });
    expect(of(b)[0].confirmedBy).toBe('virality');
  });
});

describe('arrivalScore', () => {
  it('prefers a head the routing decision names over the baseline, and reads the thresholds it compared', () => {
    const b = new HistoryBuilder().content('a');
    b.score('a', 1, { adult_nudity: 0.4 });
    b.score('a', 1, { adult_nudity: 0.8, spam: 0.2 }, { modelId: 'heads', modelVersion: '3' });
    b.score('a', 1, { adult_nudity: 0.99 }, { modelId: 'shadow', modelVersion: '4', acted: false, servingRole: 'shadow' });
    b.decision('a', 1, { outcome: 'in_review', source: 'model', modelVersion: 'nsfwjs@1, heads@3', thresholds: { adult_nudity: { review: 0.7, remove: 0.95 } } });
    const { decisions, scores } = b.history;
    expect(arrivalScore(decisions, scores, 'adult_nudity', at(2))).toEqual({ score: 0.8, modelVersion: 'heads@3', reviewThreshold: 0.7 });
    expect(arrivalScore(decisions, scores, 'graphic_violence', at(2))).toEqual({ score: null, modelVersion: 'nsfwjs@1', reviewThreshold: null });
  });
});
