import { seededRandom } from '@loupe/common';
import { PRIOR_JUDGEMENTS, weightedAccuracy } from './weighted-accuracy';

type Scored = { asked: boolean; given: boolean; correct: boolean };

describe('weightedAccuracy', () => {
  it('is null when nothing was scored', () => {
    expect(weightedAccuracy([{ asked: true, given: false }], [])).toBeNull();
  });

  it('equals the plain share when the scored judgements are all there is, whatever the strata', () => {
    const scored: Scored[] = [
      { asked: true, given: true, correct: true },
      { asked: true, given: true, correct: false },
      { asked: false, given: false, correct: true },
      { asked: false, given: false, correct: true },
    ];
    const figures = weightedAccuracy(scored, scored)!;
    expect(figures.accuracy).toBeCloseTo(3 / 4, 12);
    expect(figures).toMatchObject({ judgements: 4, decisions: 4, pooledShare: 0 });
    expect(figures.interval.lower).toBeLessThan(0.75);
    expect(figures.interval.upper).toBeGreaterThan(0.75);
  });

  it("recovers a moderator's accuracy when scoring favours the policies a case asked about", () => {
    // 60% right where asked (a weak nuance), always right on the policies not asked; asked on a quarter of the work.
    const random = seededRandom(7);
    const all: Scored[] = [];
    for (let i = 0; i < 4_000; i++) {
      const asked = random() < 0.25;
      const correct = asked ? random() < 0.6 : true;
      all.push({ asked, given: random() < 0.3, correct });
    }
    // Asked judgements are scored nine times as often as the rest, whatever their answer.
    const scored = all.filter((j) => random() < (j.asked ? 0.9 : 0.1));
    const truth = all.filter((j) => j.correct).length / all.length;
    const plain = scored.filter((j) => j.correct).length / scored.length;
    const figures = weightedAccuracy(all, scored)!;
    expect(Math.abs(plain - truth)).toBeGreaterThan(0.1);
    expect(Math.abs(figures.accuracy - truth)).toBeLessThan(0.02);
    expect(figures.interval.lower).toBeLessThanOrEqual(truth);
    expect(figures.interval.upper).toBeGreaterThanOrEqual(truth);
  });

  it('gives a stratum with nothing scored the pooled share, and says how much of the work that is', () => {
    const all = [
      { asked: true, given: true },
      { asked: true, given: true },
      { asked: false, given: false },
    ];
    const figures = weightedAccuracy(all, [{ asked: true, given: true, correct: false }])!;
    expect(figures.accuracy).toBe(0);
    expect(figures.pooledShare).toBeCloseTo(1 / 3, 12);
    expect(figures.interval.lower).toBe(0);
  });

  it('pulls a stratum scored on few judgements toward the pooled share', () => {
    // Incidental "not violating": 300 judgements, one scored, and wrong. Asked: 100 judgements, 50 scored, all right.
    const all = [...Array.from({ length: 300 }, () => ({ asked: false, given: false })), ...Array.from({ length: 100 }, () => ({ asked: true, given: false }))];
    const scored = [{ asked: false, given: false, correct: false }, ...Array.from({ length: 50 }, () => ({ asked: true, given: false, correct: true }))];
    const pooled = 50 / 51;
    const k = PRIOR_JUDGEMENTS;
    const figures = weightedAccuracy(all, scored)!;
    // The scored count as scored; the 299 unscored incidental ones at (0 + k·pooled) / (1 + k), the 50 unscored asked ones at (50 + k·pooled) / (50 + k).
    expect(figures.accuracy).toBeCloseTo((50 + (299 * k * pooled) / (1 + k) + (50 * (50 + k * pooled)) / (50 + k)) / 400, 12);
    // Unpooled, the one wrong judgement would stand for three quarters of the work: 25%.
    expect(figures.accuracy).toBeGreaterThan(0.75);
  });

  it('counts a scored judgement missing from `all` in its stratum', () => {
    const figures = weightedAccuracy([], [{ asked: false, given: false, correct: true }])!;
    expect(figures).toMatchObject({ judgements: 1, decisions: 1, accuracy: 1, pooledShare: 0 });
  });
});
