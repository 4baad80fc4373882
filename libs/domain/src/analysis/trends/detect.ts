import { detectKleinbergBursts, type KleinbergStreamOptions } from './kleinberg-burst';
import { detectPoissonBursts, type PoissonBurstOptions } from './poisson-burst';
import type { BurstDetectorName, TermBurstResult, TermSeries } from './term-series';

/**
 * The default is the one bench/trends.bench.ts chose (docs/decisions.md,
 * "Emerging trends: which burst detector"); the other stays for comparison.
 */
export const DEFAULT_BURST_DETECTOR: BurstDetectorName = 'poisson';

export interface DetectTermBurstsOptions {
  readonly detector?: BurstDetectorName;
  readonly poisson?: Partial<PoissonBurstOptions>;
  readonly kleinberg?: Partial<KleinbergStreamOptions>;
}

/**
 * Runs one detector over every term and returns the terms with at least one
 * flagged hour, the strongest first (peak lift, then the earlier start).
 */
export function detectTermBursts(series: readonly TermSeries[], options: DetectTermBurstsOptions = {}): TermBurstResult[] {
  const detector = options.detector ?? DEFAULT_BURST_DETECTOR;
  const results = series.map((s) =>
    detector === 'poisson' ? detectPoissonBursts(s, options.poisson) : detectKleinbergBursts(s, options.kleinberg),
  );
  return results
    .filter((r) => r.peak !== null)
    .sort((a, b) => (b.peak?.lift ?? 0) - (a.peak?.lift ?? 0) || (a.firstFlaggedHour ?? 0) - (b.firstFlaggedHour ?? 0));
}
