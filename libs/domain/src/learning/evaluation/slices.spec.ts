import { policyMetrics } from './metrics';
import { SliceItem, sliceMetrics } from './slices';

function items(count: number, positives: number, slice: Partial<SliceItem>): SliceItem[] {
  return Array.from({ length: count }, (_, i) => ({
    // Violating items score high, except the last, so that the metrics are not all perfect.
    score: i < positives ? (i === positives - 1 ? 0.3 : 0.9) : i % 3 === 0 ? 0.7 : 0.1,
    truth: i < positives,
    region: 'eu',
    language: 'en',
    kind: 'image',
    ...slice,
  }));
}

const THRESHOLDS = { review: 0.5, remove: 0.8 };

describe('sliceMetrics', () => {
  const sample = [
    ...items(30, 5, { region: 'eu' }),
    ...items(29, 10, { region: 'us', language: 'es' }),
    ...items(40, 4, { region: 'apac', kind: 'video' }),
    ...items(30, 6, { region: null, kind: 'video' }),
  ];

  it('measures slices with enough items and violating ones, and lists the rest with their counts', () => {
    const { measured, tooFew } = sliceMetrics(sample, THRESHOLDS, { dimensions: ['region'] });
    expect(measured.map((s) => [s.dimension, s.value, s.metrics.items, s.metrics.positives])).toEqual([
      ['region', 'eu', 30, 5],
      ['region', null, 30, 6],
    ]);
    expect(tooFew).toEqual([
      { dimension: 'region', value: 'apac', items: 40, positives: 4 },
      { dimension: 'region', value: 'us', items: 29, positives: 10 },
    ]);
  });

  it('gives each slice the metrics of its items alone, at the operating thresholds', () => {
    const eu = sample.filter((i) => i.region === 'eu');
    const { measured } = sliceMetrics(sample, THRESHOLDS, { dimensions: ['region'] });
    expect(measured[0].metrics).toEqual(
      policyMetrics(
        eu.map((i) => i.score),
        eu.map((i) => i.truth),
        THRESHOLDS,
      ),
    );
    expect(measured[0].metrics.atRemove).toMatchObject({ precision: 1, recall: 0.8 });
  });

  it('cuts the whole sample once per dimension, in the order given', () => {
    const { measured, tooFew } = sliceMetrics(sample, THRESHOLDS);
    expect(measured.map((s) => `${s.dimension}=${s.value}`)).toEqual(['region=eu', 'region=null', 'language=en', 'kind=image', 'kind=video']);
    expect(tooFew.map((s) => `${s.dimension}=${s.value}`)).toEqual(['region=apac', 'region=us', 'language=es']);
    const byKind = measured.filter((s) => s.dimension === 'kind');
    expect(byKind.reduce((n, s) => n + s.metrics.items, 0)).toBe(sample.length);
  });

  it('takes its minimums from the options', () => {
    const { measured, tooFew } = sliceMetrics(sample, THRESHOLDS, { dimensions: ['region'], minItems: 10, minPositives: 1 });
    expect(measured.map((s) => s.value)).toEqual(['apac', 'eu', 'us', null]);
    expect(tooFew).toEqual([]);
    expect(sliceMetrics([], THRESHOLDS)).toEqual({ measured: [], tooFew: [] });
  });

  it('uses the items’ weights when they have any', () => {
    const weighted = items(30, 5, { weight: 2 });
    weighted[0] = { ...weighted[0], weight: undefined };
    const { measured } = sliceMetrics(weighted, THRESHOLDS, { dimensions: ['kind'] });
    // 5 violating of weights 1 + 2·4 = 9, over 1 + 2·29 = 59.
    expect(measured[0].metrics.baseRate).toBeCloseTo(9 / 59, 12);
  });
});
