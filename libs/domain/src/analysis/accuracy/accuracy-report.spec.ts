import type { PolicyLabel } from '@loupe/vocabulary';
import { accuracyCsv } from './accuracy-csv';
import { accuracyFigures, weakestCells } from './accuracy-report';
import { wilsonInterval } from './gold-accuracy';
import { estimatePolicies, judgementsOf, scoreJudgements } from './judgements';
import { consensusHistory, review } from './testing/review-history';

const ED = 'eating_disorder_promotion';
const promotion = { policyId: ED, violating: true, nuance: 'promotion' };
const recovery = { policyId: ED, violating: false, nuance: 'recovery' };

/** The consensus history, then three gold items on eating-disorder content: Bob removes a recovery post, Carol misses a promotion. */
function history() {
  const gold = (moderatorId: string, item: string, answer: PolicyLabel, given: PolicyLabel[]) =>
    review(moderatorId, item, given, { gold: [answer], casePolicyIds: [ED] });
  return [
    ...consensusHistory(),
    gold('alice', 'g1', promotion, [promotion]),
    gold('bob', 'g1', promotion, [promotion]),
    gold('carol', 'g1', promotion, [{ policyId: ED, violating: false }]),
    gold('alice', 'g2', recovery, [recovery]),
    gold('bob', 'g2', recovery, [promotion]),
    gold('carol', 'g2', recovery, [{ policyId: ED, violating: false }]),
  ];
}

const moderators = [
  { id: 'alice', name: 'alice', team: 'day' },
  { id: 'bob', name: 'bob', team: 'day' },
  { id: 'carol', name: 'carol', team: 'night' },
];

function figures(team?: string) {
  const judgements = judgementsOf(history());
  const estimates = estimatePolicies(judgements);
  return accuracyFigures(judgements, scoreJudgements(judgements, [], estimates), estimates, moderators, { team });
}

describe('accuracyFigures', () => {
  const report = figures();
  const row = (id: string, policyId: string) => report.moderators.find((r) => r.moderatorId === id && r.policyId === policyId)!;

  it('counts gold per moderator and policy, with the Wilson interval of the counts', () => {
    expect(row('bob', ED).gold).toEqual({ reviews: 2, correct: 1, accuracy: 0.5, interval: wilsonInterval(1, 2) });
    expect(row('alice', ED).gold).toMatchObject({ reviews: 2, correct: 2 });
    expect(row('alice', 'adult_nudity').gold).toBeNull();
  });

  it("gives Dawid–Skene's rates and ranks Carol lowest on the policy everyone reviewed", () => {
    const estimated = (id: string) => row(id, 'adult_nudity').estimated!;
    expect(estimated('carol').accuracy).toBeLessThan(estimated('bob').accuracy);
    expect(estimated('bob').accuracy).toBeLessThan(estimated('alice').accuracy);
    expect(estimated('carol').sensitivity).toBeLessThan(0.5);
    expect(estimated('alice').labels).toBe(8);
    expect(report.estimates.find((e) => e.policyId === 'adult_nudity')).toMatchObject({ items: 8, labels: 24, moderators: 3, converged: true });
  });

  it('scores against the estimate where nothing settled: Carol missed the three violations', () => {
    expect(row('carol', 'adult_nudity').observed).toMatchObject({ decisions: 8, correct: 5, accuracy: 5 / 8 });
    expect(row('carol', 'adult_nudity').weighted).toMatchObject({ judgements: 8, decisions: 8, accuracy: 5 / 8, pooledShare: 0 });
    expect(row('bob', 'adult_nudity').observed).toMatchObject({ decisions: 8, correct: 6 });
  });

  it("gives Cohen's kappa per pair as by hand, and Fleiss' per queue", () => {
    // Alice VVVNNNNN, Bob VVVVVNNN: agreement 6/8; chance .375·.625 + .625·.375 = .46875.
    const pair = report.pairs.find((p) => p.policyId === 'adult_nudity' && p.moderatorA === 'alice' && p.moderatorB === 'bob')!;
    expect(pair.sharedItems).toBe(8);
    expect(pair.kappa).toBeCloseTo((0.75 - 0.46875) / (1 - 0.46875), 10);
    expect(report.queues.find((q) => q.queueId === 'q' && q.policyId === 'adult_nudity')).toMatchObject({ items: 8, ratings: 24 });
  });

  it('lists the weakest (team, policy, nuance) cells first', () => {
    expect(report.weakest[0]).toMatchObject({ team: 'night', policyId: ED, nuance: 'promotion', decisions: 1, correct: 0 });
    const dayRecovery = report.weakest.find((c) => c.team === 'day' && c.nuance === 'recovery')!;
    expect(dayRecovery).toMatchObject({ decisions: 2, correct: 1, moderators: 2 });
    const accuracies = report.weakest.map((c) => c.accuracy);
    expect(accuracies).toEqual([...accuracies].sort((a, b) => a - b));
  });

  it("cuts rows, pairs and cells to a team's moderators", () => {
    const night = figures('night');
    expect(new Set(night.moderators.map((r) => r.moderatorId))).toEqual(new Set(['carol']));
    expect(night.pairs.every((p) => p.moderatorA === 'carol' || p.moderatorB === 'carol')).toBe(true);
    expect(night.weakest.every((c) => c.team === 'night')).toBe(true);
  });

  it('exports each table as CSV, quoting what needs it', () => {
    const [header, ...lines] = accuracyCsv(report, 'moderators').trim().split('\n');
    expect(header.split(',').slice(0, 7)).toEqual(['moderatorId', 'name', 'team', 'policyId', 'goldReviews', 'goldCorrect', 'goldAccuracy']);
    expect(lines).toHaveLength(report.moderators.length);
    expect(accuracyCsv(report, 'weakest').split('\n')[1]).toMatch(/^night,eating_disorder_promotion,promotion,1,0,0,/);
  });
});

describe('weakestCells', () => {
  it('is empty without scored judgements', () => {
    expect(weakestCells([])).toEqual([]);
  });
});
