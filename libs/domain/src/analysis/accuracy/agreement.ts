/*
 * Agreement between moderators who reviewed the same items, corrected for the
 * agreement chance alone would give: Cohen's kappa for a pair, Fleiss' kappa
 * for a queue where each item had its own number of reviewers.
 *
 * Kappa is undefined when chance agreement is 1 (every label in the sample is
 * the same one): agreement is then perfect but says nothing about skill. We
 * return null with a note rather than 1 or NaN, so a report shows "cannot be
 * judged here" instead of a perfect score.
 */
import { compareLabels, compareStrings, Label, labelKey } from './labels';

/** One moderator's label on one item. */
export interface Rating {
  itemId: string;
  raterId: string;
  label: Label;
}

export interface KappaResult {
  /** Items counted (for Cohen: labelled by both raters; for Fleiss: with at least two raters). */
  n: number;
  /** Share of agreeing (pairs of) labels; null without items. */
  observedAgreement: number | null;
  /** The same share expected from the label frequencies alone; null without items. */
  expectedAgreement: number | null;
  /** (observed − expected) / (1 − expected); null without items or when expected agreement is 1. */
  kappa: number | null;
  /** Why kappa is null, when it is. */
  note?: string;
}

export interface CohenPair extends KappaResult {
  /** raterA < raterB, in string order. */
  raterA: string;
  raterB: string;
}

export interface FleissKappa extends KappaResult {
  /** Labels counted, over the `n` items. */
  ratings: number;
  /** Items left out because fewer than two raters labelled them. */
  skippedItems: number;
  /** Each label's share of all counted labels, in label order. */
  shares: { label: Label; share: number }[];
}

export const NO_ITEMS_NOTE = 'no items to compare';
export const CHANCE_IS_ONE_NOTE = 'every label is the same one, so chance agreement is 1 and kappa is undefined (agreement is perfect but uninformative)';

// Expected agreement within this of 1 counts as 1: the shares are sums of floating-point ratios.
const EPSILON = 1e-12;

function kappaOf(n: number, observed: number, expected: number): KappaResult {
  if (expected >= 1 - EPSILON) return { n, observedAgreement: observed, expectedAgreement: 1, kappa: null, note: CHANCE_IS_ONE_NOTE };
  return { n, observedAgreement: observed, expectedAgreement: expected, kappa: (observed - expected) / (1 - expected) };
}

function empty(): KappaResult {
  return { n: 0, observedAgreement: null, expectedAgreement: null, kappa: null, note: NO_ITEMS_NOTE };
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Chance agreement of two raters from their label counts over the same n items: Σ_k (a_k/n)(b_k/n). */
function chanceAgreement(n: number, a: Map<string, number>, b: Map<string, number>): number {
  let sum = 0;
  for (const [key, countA] of a) sum += countA * (b.get(key) ?? 0);
  return sum / (n * n);
}

/**
 * Cohen's kappa of two raters over the items both labelled (the keys present
 * in both maps). Labels may be binary or any number of classes.
 */
export function cohensKappa(first: ReadonlyMap<string, Label>, second: ReadonlyMap<string, Label>): KappaResult {
  let n = 0;
  let agree = 0;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  for (const [itemId, labelA] of first) {
    const labelB = second.get(itemId);
    if (labelB === undefined) continue;
    const keyA = labelKey(labelA);
    const keyB = labelKey(labelB);
    n++;
    if (keyA === keyB) agree++;
    increment(a, keyA);
    increment(b, keyB);
  }
  return n === 0 ? empty() : kappaOf(n, agree / n, chanceAgreement(n, a, b));
}

/**
 * Cohen's kappa from a square contingency table: table[i][j] counts the items
 * the first rater put in class i and the second in class j.
 */
export function cohensKappaFromTable(table: readonly (readonly number[])[]): KappaResult {
  const k = table.length;
  let n = 0;
  let agree = 0;
  const rows = new Array<number>(k).fill(0);
  const columns = new Array<number>(k).fill(0);
  table.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`row ${i} has ${row.length} cells; the table must be ${k}×${k}`);
    row.forEach((count, j) => {
      if (!(count >= 0 && Number.isFinite(count))) throw new RangeError(`cell [${i}][${j}] is ${count}, not a finite count ≥ 0`);
      n += count;
      rows[i] += count;
      columns[j] += count;
      if (i === j) agree += count;
    });
  });
  if (n === 0) return empty();
  const expected = rows.reduce((sum, r, i) => sum + r * columns[i], 0) / (n * n);
  return kappaOf(n, agree / n, expected);
}

/**
 * Each item's ratings, one per rater: a rater's later label on an item
 * replaces an earlier one (a re-review is their final answer). An array per
 * item rather than a Map: an item has a few raters, and a report has an item
 * per content reviewed.
 */
function byItem(ratings: Iterable<Rating>): Map<string, Rating[]> {
  const items = new Map<string, Rating[]>();
  for (const r of ratings) {
    const raters = items.get(r.itemId);
    if (!raters) {
      items.set(r.itemId, [r]);
      continue;
    }
    const at = raters.findIndex((o) => o.raterId === r.raterId);
    if (at >= 0) raters[at] = r;
    else raters.push(r);
  }
  return items;
}

const byRater = (a: Rating, b: Rating) => compareStrings(a.raterId, b.raterId);

interface PairTally {
  raterA: string;
  raterB: string;
  n: number;
  agree: number;
  a: Map<string, number>;
  b: Map<string, number>;
}

/**
 * Cohen's kappa for every pair of raters who labelled at least `minShared`
 * items in common (default 1), sorted by raterA, then raterB. One pass over
 * the items: a pair's kappa needs only its agreement count and each side's
 * label counts, not the full table.
 */
export function pairwiseCohensKappa(ratings: Iterable<Rating>, options: { minShared?: number } = {}): CohenPair[] {
  const minShared = Math.max(1, options.minShared ?? 1);
  // By rater A, then rater B: no key string built per pair and item.
  const pairs = new Map<string, Map<string, PairTally>>();
  for (const raters of byItem(ratings).values()) {
    if (raters.length < 2) continue;
    const sorted = [...raters].sort(byRater);
    for (let x = 0; x < sorted.length; x++) {
      const keyA = labelKey(sorted[x].label);
      let partners = pairs.get(sorted[x].raterId);
      if (!partners) pairs.set(sorted[x].raterId, (partners = new Map()));
      for (let y = x + 1; y < sorted.length; y++) {
        const keyB = labelKey(sorted[y].label);
        let tally = partners.get(sorted[y].raterId);
        if (!tally) partners.set(sorted[y].raterId, (tally = { raterA: sorted[x].raterId, raterB: sorted[y].raterId, n: 0, agree: 0, a: new Map(), b: new Map() }));
        tally.n++;
        if (keyA === keyB) tally.agree++;
        increment(tally.a, keyA);
        increment(tally.b, keyB);
      }
    }
  }
  return [...pairs.values()]
    .flatMap((partners) => [...partners.values()])
    .filter((t) => t.n >= minShared)
    .sort((p, q) => compareStrings(p.raterA, q.raterA) || compareStrings(p.raterB, q.raterB))
    .map((t) => ({ raterA: t.raterA, raterB: t.raterB, ...kappaOf(t.n, t.agree / t.n, chanceAgreement(t.n, t.a, t.b)) }));
}

/**
 * Fleiss' kappa over items each labelled by two or more raters, not
 * necessarily the same raters nor the same number of them. Items with fewer
 * than two labels carry no agreement and are skipped (counted in
 * `skippedItems`).
 *
 * The generalisation of Fleiss (1971) to a varying number of raters n_i,
 * with n_ij the raters who put item i in class j and N the items:
 *   P_i  = Σ_j n_ij (n_ij − 1) / (n_i (n_i − 1))   the share of agreeing rater pairs on item i
 *   P̄    = (1/N) Σ_i P_i                            every item weighs the same
 *   p_j  = Σ_i n_ij / Σ_i n_i                        class j's share of all labels
 *   P̄e   = Σ_j p_j²
 *   κ    = (P̄ − P̄e) / (1 − P̄e)
 * With the same n on every item it is exactly Fleiss (1971). (Gwet's variant
 * averages p_j per item instead of pooling; the two differ only when n_i
 * varies and class shares differ between lightly and heavily reviewed items.)
 */
export function fleissKappa(ratings: Iterable<Rating>): FleissKappa {
  const keys = new Map<string, Label>();
  const rows: Map<string, number>[] = [];
  for (const raters of byItem(ratings).values()) {
    const row = new Map<string, number>();
    for (const { label } of raters) {
      const key = labelKey(label);
      keys.set(key, label);
      increment(row, key);
    }
    rows.push(row);
  }
  const labels = [...keys.values()].sort(compareLabels);
  const index = new Map(labels.map((label, j) => [labelKey(label), j]));
  const table = rows.map((row) => {
    const counts = new Array<number>(labels.length).fill(0);
    for (const [key, count] of row) counts[index.get(key) as number] = count;
    return counts;
  });
  return fleissKappaFromCounts(table, labels);
}

/**
 * Fleiss' kappa from a table of counts: counts[i][j] raters put item i in
 * class j. `labels` names the columns in the result's shares (default 0, 1, …).
 */
export function fleissKappaFromCounts(counts: readonly (readonly number[])[], labels?: readonly Label[]): FleissKappa {
  const k = labels?.length ?? counts[0]?.length ?? 0;
  const totals = new Array<number>(k).fill(0);
  let n = 0;
  let ratings = 0;
  let skippedItems = 0;
  let agreementSum = 0;
  counts.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`row ${i} has ${row.length} classes, expected ${k}`);
    let raters = 0;
    let agreeingPairs = 0;
    row.forEach((c, j) => {
      if (!(Number.isInteger(c) && c >= 0)) throw new RangeError(`count [${i}][${j}] is ${c}, not a whole number ≥ 0`);
      raters += c;
      agreeingPairs += c * (c - 1);
    });
    if (raters < 2) {
      skippedItems++;
      return;
    }
    n++;
    ratings += raters;
    agreementSum += agreeingPairs / (raters * (raters - 1));
    row.forEach((c, j) => (totals[j] += c));
  });
  const names = labels ?? totals.map((_, j) => j);
  if (n === 0) return { ...empty(), ratings: 0, skippedItems, shares: [] };
  const shares = totals.map((t, j) => ({ label: names[j], share: t / ratings }));
  const expected = shares.reduce((sum, s) => sum + s.share * s.share, 0);
  return { ...kappaOf(n, agreementSum / n, expected), ratings, skippedItems, shares };
}
