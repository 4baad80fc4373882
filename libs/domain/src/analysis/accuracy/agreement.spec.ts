import { CHANCE_IS_ONE_NOTE, cohensKappa, cohensKappaFromTable, fleissKappa, fleissKappaFromCounts, NO_ITEMS_NOTE, pairwiseCohensKappa, Rating } from './agreement';

/** Two raters' labels as maps, from a 2×2 table [[yes/yes, yes/no], [no/yes, no/no]]. */
function ratersFromTable(table: number[][]): [Map<string, string>, Map<string, string>] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  let item = 0;
  const names = ['yes', 'no'];
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++, item++) {
        a.set(`item-${item}`, names[i]);
        b.set(`item-${item}`, names[j]);
      }
    }),
  );
  return [a, b];
}

describe('cohensKappa', () => {
  it.each([
    // Wikipedia, "Cohen's kappa": the 50 grant proposals (κ = 0.4), and the two tables with the same
    // 60% agreement but different marginals (κ = 0.1304 and 0.2593).
    [[[20, 5], [10, 15]], 0.7, 0.5, 0.4],
    [[[45, 15], [25, 15]], 0.6, 0.54, 0.1304],
    [[[25, 35], [5, 35]], 0.6, 0.46, 0.2593],
  ])('%j: observed %f, expected %f, kappa %f', (table, observed, expected, kappa) => {
    const fromTable = cohensKappaFromTable(table);
    expect(fromTable.observedAgreement).toBeCloseTo(observed, 10);
    expect(fromTable.expectedAgreement).toBeCloseTo(expected, 10);
    expect(fromTable.kappa).toBeCloseTo(kappa, 4);
    const [a, b] = ratersFromTable(table);
    expect(cohensKappa(a, b)).toEqual({ ...fromTable, kappa: expect.closeTo(fromTable.kappa as number, 12), expectedAgreement: expect.closeTo(expected, 12) });
  });

  it('handles several classes: 342/582 by hand', () => {
    // Observed 22/30; rows 12, 12, 6 and columns 11, 12, 7 give expected 318/900.
    const result = cohensKappaFromTable([
      [10, 2, 0],
      [1, 8, 3],
      [0, 2, 4],
    ]);
    expect(result.n).toBe(30);
    expect(result.kappa).toBeCloseTo(342 / 582, 12);
  });

  it('is 1 for perfect agreement and −1 for systematic disagreement on balanced labels', () => {
    expect(cohensKappaFromTable([[5, 0], [0, 5]]).kappa).toBe(1);
    expect(cohensKappaFromTable([[0, 5], [5, 0]]).kappa).toBe(-1);
  });

  it('counts only the items both raters labelled', () => {
    const a = new Map<string, string>([['x', 'spam'], ['y', 'ok'], ['z', 'spam']]);
    const b = new Map<string, string>([['y', 'ok'], ['z', 'spam'], ['w', 'ok']]);
    expect(cohensKappa(a, b)).toMatchObject({ n: 2, observedAgreement: 1, kappa: 1 });
  });

  it('is null with a note when chance agreement is 1, or nothing is shared', () => {
    const same = new Map([['x', false], ['y', false]]);
    expect(cohensKappa(same, new Map(same))).toEqual({ n: 2, observedAgreement: 1, expectedAgreement: 1, kappa: null, note: CHANCE_IS_ONE_NOTE });
    expect(cohensKappa(same, new Map([['z', false]]))).toMatchObject({ n: 0, kappa: null, note: NO_ITEMS_NOTE });
    expect(cohensKappaFromTable([[0, 0], [0, 0]]).kappa).toBeNull();
  });

  it('refuses a table that is not square or has a negative count', () => {
    expect(() => cohensKappaFromTable([[1, 2], [3]])).toThrow(RangeError);
    expect(() => cohensKappaFromTable([[1, -2], [3, 4]])).toThrow(RangeError);
  });
});

describe('pairwiseCohensKappa', () => {
  const r = (itemId: string, raterId: string, label: string): Rating => ({ itemId, raterId, label });
  const [yesA, yesB] = ratersFromTable([[20, 5], [10, 15]]);
  const ratings: Rating[] = [
    ...[...yesA].map(([item, label]) => r(item, 'carol', label)),
    ...[...yesB].map(([item, label]) => r(item, 'alice', label)),
    // bob shares two items with each of them.
    r('item-0', 'bob', 'yes'),
    r('item-49', 'bob', 'no'),
  ];

  it('gives every pair that shares items its kappa, in rater order', () => {
    const pairs = pairwiseCohensKappa(ratings);
    expect(pairs.map((p) => [p.raterA, p.raterB, p.n])).toEqual([
      ['alice', 'bob', 2],
      ['alice', 'carol', 50],
      ['bob', 'carol', 2],
    ]);
    expect(pairs[1].kappa).toBeCloseTo(0.4, 12);
    expect(pairwiseCohensKappa(ratings, { minShared: 3 }).map((p) => p.raterB)).toEqual(['carol']);
  });

  it('takes a rater’s later label on an item as their answer', () => {
    const pairs = pairwiseCohensKappa([r('i', 'a', 'yes'), r('i', 'b', 'no'), r('j', 'a', 'no'), r('j', 'b', 'yes'), r('i', 'b', 'yes'), r('j', 'b', 'no')]);
    expect(pairs).toEqual([expect.objectContaining({ n: 2, observedAgreement: 1, kappa: 1 })]);
  });
});

describe('fleissKappa', () => {
  // Fleiss (1971), as in Wikipedia's "Fleiss' kappa": 10 items, 14 raters each, 5 classes.
  const FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];

  it('reproduces the worked example: P̄ 0.378, P̄e 0.213, κ 0.210', () => {
    const result = fleissKappaFromCounts(FLEISS_1971);
    expect(result).toMatchObject({ n: 10, ratings: 140, skippedItems: 0 });
    expect(result.observedAgreement).toBeCloseTo(0.378, 3);
    expect(result.expectedAgreement).toBeCloseTo(0.213, 3);
    expect(result.kappa).toBeCloseTo(0.21, 3);
    expect(result.shares.map((s) => s.share)).toEqual([20 / 140, 28 / 140, 39 / 140, 21 / 140, 32 / 140]);
  });

  it('gives the same from individual ratings with named labels', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const ratings: Rating[] = [];
    FLEISS_1971.forEach((row, i) => {
      let rater = 0;
      row.forEach((count, j) => {
        for (let c = 0; c < count; c++) ratings.push({ itemId: `item-${i}`, raterId: `rater-${rater++}`, label: names[j] });
      });
    });
    const result = fleissKappa(ratings);
    expect(result.kappa).toBeCloseTo(fleissKappaFromCounts(FLEISS_1971).kappa as number, 12);
    expect(result.shares.map((s) => s.label)).toEqual(names);
  });

  it('takes a varying number of raters per item and skips items with one', () => {
    // P_i: 1, 1/3, 1 (and the lone label skipped): P̄ = 7/9. Shares 3/9 and 6/9: P̄e = 5/9. κ = (2/9)/(4/9).
    const ratings: Rating[] = [
      { itemId: 'i1', raterId: 'r1', label: 'A' },
      { itemId: 'i1', raterId: 'r2', label: 'A' },
      { itemId: 'i2', raterId: 'r1', label: 'A' },
      { itemId: 'i2', raterId: 'r2', label: 'B' },
      { itemId: 'i2', raterId: 'r3', label: 'B' },
      ...['r1', 'r2', 'r3', 'r4'].map((raterId) => ({ itemId: 'i3', raterId, label: 'B' })),
      { itemId: 'i4', raterId: 'r1', label: 'A' },
    ];
    const result = fleissKappa(ratings);
    expect(result).toMatchObject({ n: 3, ratings: 9, skippedItems: 1 });
    expect(result.observedAgreement).toBeCloseTo(7 / 9, 12);
    expect(result.expectedAgreement).toBeCloseTo(5 / 9, 12);
    expect(result.kappa).toBeCloseTo(0.5, 12);
  });

  it('is Scott’s pi with two raters: pooled label shares', () => {
    // The 50 proposals: pooled "yes" share (25 + 30) / 100, so chance 0.505 and π = 0.195 / 0.495.
    const rows = [...Array(20).fill([2, 0]), ...Array(15).fill([1, 1]), ...Array(15).fill([0, 2])];
    expect(fleissKappaFromCounts(rows).kappa).toBeCloseTo(0.195 / 0.495, 12);
  });

  it('is null with a note when every label is the same, or no item has two raters', () => {
    expect(fleissKappaFromCounts([[3, 0], [2, 0]])).toMatchObject({ n: 2, kappa: null, note: CHANCE_IS_ONE_NOTE });
    expect(fleissKappa([{ itemId: 'i', raterId: 'r', label: 1 }])).toMatchObject({ n: 0, skippedItems: 1, kappa: null, note: NO_ITEMS_NOTE });
    expect(fleissKappa([])).toMatchObject({ n: 0, kappa: null });
  });

  it('refuses ragged rows and fractional counts', () => {
    expect(() => fleissKappaFromCounts([[1, 1], [2]])).toThrow(RangeError);
    expect(() => fleissKappaFromCounts([[1.5, 1]])).toThrow(RangeError);
  });
});
