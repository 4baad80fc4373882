import { periodCounts, periodOverPeriod, topTerms } from './top-terms';

describe('topTerms', () => {
  const previous = new Map([
    ['#a', 50],
    ['#b', 40],
    ['#c', 30],
    ['#d', 5],
  ]);
  const current = new Map([
    ['#b', 60],
    ['#new', 45],
    ['#a', 45],
    ['#d', 20],
    ['#c', 0],
  ]);

  it('ranks by count with last period’s count and rank, the change, and what is new', () => {
    const { rows } = topTerms(current, previous, 3);
    expect(rows.map((r) => [r.term, r.rank, r.count, r.previousCount, r.previousRank, r.change, r.rankChange, r.isNew, r.entered])).toEqual([
      ['#b', 1, 60, 40, 2, 20, 1, false, false],
      // A tie goes to the term that sorts first: the same counts always give the same table.
      ['#a', 2, 45, 50, 1, -5, -1, false, false],
      ['#new', 3, 45, 0, null, 45, null, true, true],
    ]);
  });

  it('marks a term that climbed into the top N from below it as entered, not new', () => {
    const { rows } = topTerms(current, previous, 4);
    expect(rows[3]).toMatchObject({ term: '#d', previousRank: 4, rank: 4, entered: false, isNew: false });
    const top2 = topTerms(new Map([['#d', 100], ['#a', 1]]), previous, 2).rows;
    expect(top2[0]).toMatchObject({ term: '#d', previousRank: 4, entered: true, isNew: false, rankChange: 3 });
  });

  it('lists the previous top N that fell out, with their counts now', () => {
    expect(topTerms(current, previous, 3).dropped).toEqual([{ term: '#c', previousRank: 3, previousCount: 30, count: 0 }]);
  });

  it('leaves out zero counts and accepts entries with a repeated term by adding them', () => {
    const { rows } = topTerms([['#x', 2], ['#y', 0], ['#x', 3]], [], 5);
    expect(rows).toEqual([expect.objectContaining({ term: '#x', count: 5, isNew: true })]);
  });

  it('refuses a top N below 1 and negative counts', () => {
    expect(() => topTerms(current, previous, 0)).toThrow(RangeError);
    expect(() => topTerms([['#x', -1]], [], 3)).toThrow(RangeError);
  });
});

describe('periodOverPeriod', () => {
  it('compares the last period with the one before it', () => {
    const totals = new Array<number>(6).fill(100);
    const series = [
      { term: '#up', counts: [1, 1, 1, 5, 5, 5], totals },
      { term: '#down', counts: [4, 4, 4, 1, 1, 1], totals },
      { term: '#fresh', counts: [0, 0, 0, 0, 2, 2], totals },
    ];
    expect(periodCounts(series, 3, 6)).toEqual(new Map([['#up', 15], ['#down', 3], ['#fresh', 4]]));
    const { rows } = periodOverPeriod(series, { endHour: 6, periodHours: 3, n: 3 });
    expect(rows.map((r) => [r.term, r.count, r.previousCount, r.previousRank, r.isNew])).toEqual([
      ['#up', 15, 3, 2, false],
      ['#fresh', 4, 0, null, true],
      ['#down', 3, 12, 1, false],
    ]);
  });
});
