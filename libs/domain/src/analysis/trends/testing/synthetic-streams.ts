import type { TermSeries } from '../term-series';
import { seededRandom } from '@loupe/common';

/**
 * Seeded synthetic hourly streams for the burst detectors' specs and bench:
 * a flagged volume with a daily cycle, and terms drawn as Poisson counts of a
 * share of that volume. Hourly multiplicative noise (log-normal) makes counts
 * over-dispersed, as real hashtag counts are, so a detector tuned on pure
 * Poisson data would look better here than it is.
 */

/** mulberry32, the house's seeded PRNG (@loupe/common): the same on every machine. */
export const mulberry32 = seededRandom;

export function normalSample(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Knuth's product method below 30, a rounded normal above (where it is close enough for a simulation). */
export function poissonSample(lambda: number, rng: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = rng();
    while (p > limit) {
      k++;
      p *= rng();
    }
    return k;
  }
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normalSample(rng)));
}

/** Mean-one log-normal factor with log-sd `sigma`. */
function noiseFactor(sigma: number, rng: () => number): number {
  return sigma > 0 ? Math.exp(sigma * normalSample(rng) - (sigma * sigma) / 2) : 1;
}

function daily(hour: number, amplitude: number, peakHour: number): number {
  return 1 + amplitude * Math.cos((2 * Math.PI * (hour - peakHour)) / 24);
}

export interface VolumeOptions {
  readonly hours: number;
  /** Mean flagged items per hour. */
  readonly meanPerHour: number;
  /** 0.5: the busiest hour has 3 times the quietest. */
  readonly dailyAmplitude?: number;
  readonly peakHour?: number;
  readonly noise?: number;
}

/** Flagged items per hour: the denominator every term shares. */
export function flaggedVolume(options: VolumeOptions, rng: () => number): number[] {
  const { hours, meanPerHour, dailyAmplitude = 0.5, peakHour = 20, noise = 0.1 } = options;
  return Array.from({ length: hours }, (_, h) =>
    poissonSample(meanPerHour * daily(h, dailyAmplitude, peakHour) * noiseFactor(noise, rng), rng),
  );
}

/** How a term's share of the flagged volume moves over time. */
export type TermShape =
  | {
      readonly kind: 'steady';
      /** Mean occurrences per hour at mean volume. */
      readonly meanPerHour: number;
      /** The term's own daily rhythm on top of the volume's (0: none). */
      readonly dailyAmplitude?: number;
      readonly peakHour?: number;
      readonly noise?: number;
    }
  | {
      readonly kind: 'burst';
      readonly meanPerHour: number;
      readonly startHour: number;
      /** Multiplier on the base share per hour from the start (2: doubling); growth >= maxLift is a step. */
      readonly growth: number;
      /** The lift the burst grows to and holds. */
      readonly maxLift: number;
      readonly durationHours: number;
      readonly dailyAmplitude?: number;
      readonly peakHour?: number;
      readonly noise?: number;
    }
  | {
      /** Never seen before `startHour`. */
      readonly kind: 'new';
      readonly startHour: number;
      /** Occurrences per hour at mean volume from the start. */
      readonly perHour: number;
      readonly durationHours: number;
      readonly noise?: number;
    };

/** The term's expected count at each hour before noise, relative to its share at mean volume. */
function liftAt(shape: TermShape, hour: number): number {
  switch (shape.kind) {
    case 'steady':
      return daily(hour, shape.dailyAmplitude ?? 0, shape.peakHour ?? 0);
    case 'burst': {
      const base = daily(hour, shape.dailyAmplitude ?? 0, shape.peakHour ?? 0);
      const into = hour - shape.startHour;
      if (into < 0 || into >= shape.durationHours) return base;
      return base * Math.min(shape.maxLift, Math.pow(shape.growth, into + 1));
    }
    case 'new':
      return hour >= shape.startHour && hour < shape.startHour + shape.durationHours ? 1 : 0;
  }
}

export function termSeries(
  term: string,
  totals: readonly number[],
  meanVolume: number,
  shape: TermShape,
  rng: () => number,
): TermSeries {
  const perHour = shape.kind === 'new' ? shape.perHour : shape.meanPerHour;
  const noise = shape.noise ?? 0.2;
  const counts = totals.map((total, h) => {
    const lift = liftAt(shape, h);
    if (lift === 0) return 0;
    const expected = (perHour / meanVolume) * total * lift * noiseFactor(noise, rng);
    return Math.min(total, poissonSample(expected, rng));
  });
  return { term, counts, totals };
}

export type StreamTruth =
  | { readonly kind: 'steady'; readonly dailyAmplitude: number; readonly meanPerHour: number }
  | { readonly kind: 'burst'; readonly startHour: number; readonly growth: number; readonly maxLift: number; readonly meanPerHour: number }
  | { readonly kind: 'new'; readonly startHour: number; readonly perHour: number };

export interface LabelledSeries {
  readonly series: TermSeries;
  readonly truth: StreamTruth;
}

export interface PopulationOptions {
  readonly seed: number;
  /** Length of each stream; bursts and new terms start between `firstStart` and `hours - 24`. */
  readonly hours: number;
  readonly firstStart: number;
  readonly steady: number;
  readonly bursting: number;
  readonly newTerms: number;
  readonly volumePerHour?: number;
}

/**
 * A population of labelled term series over one shared volume: steady terms
 * from 0.3 to 300 an hour (log-uniform; half with a daily rhythm of their own
 * up to ±60%), bursts from 0.3 to 30 an hour growing 1.5 to 3 times an hour
 * (a fifth of them a step) to a lift of 4 to 30, and new terms at 4 to 40 an
 * hour. Each term has its own stream of random numbers, so adding a kind of
 * term does not change the others.
 */
export function syntheticPopulation(options: PopulationOptions): { totals: number[]; terms: LabelledSeries[] } {
  const volume = options.volumePerHour ?? 2000;
  const totals = flaggedVolume({ hours: options.hours, meanPerHour: volume }, mulberry32(options.seed));
  const lastStart = options.hours - 24;
  const terms: LabelledSeries[] = [];
  const logUniform = (rng: () => number, lo: number, hi: number) => Math.exp(Math.log(lo) + rng() * Math.log(hi / lo));
  const startIn = (rng: () => number) => options.firstStart + Math.floor(rng() * (lastStart - options.firstStart + 1));
  for (let i = 0; i < options.steady; i++) {
    const rng = mulberry32(options.seed * 7919 + 1_000 + i);
    const meanPerHour = logUniform(rng, 0.3, 300);
    const dailyAmplitude = i % 2 === 0 ? 0 : 0.6 * rng();
    const shape: TermShape = { kind: 'steady', meanPerHour, dailyAmplitude, peakHour: Math.floor(rng() * 24) };
    terms.push({ series: termSeries(`#steady${i}`, totals, volume, shape, rng), truth: { kind: 'steady', dailyAmplitude, meanPerHour } });
  }
  for (let i = 0; i < options.bursting; i++) {
    const rng = mulberry32(options.seed * 7919 + 200_000 + i);
    const meanPerHour = logUniform(rng, 0.3, 30);
    const maxLift = 4 + rng() * 26;
    const growth = i % 5 === 0 ? maxLift : 1.5 + rng() * 1.5;
    const startHour = startIn(rng);
    const shape: TermShape = { kind: 'burst', meanPerHour, startHour, growth, maxLift, durationHours: 24, dailyAmplitude: 0.3 * rng(), peakHour: Math.floor(rng() * 24) };
    terms.push({ series: termSeries(`#burst${i}`, totals, volume, shape, rng), truth: { kind: 'burst', startHour, growth, maxLift, meanPerHour } });
  }
  for (let i = 0; i < options.newTerms; i++) {
    const rng = mulberry32(options.seed * 7919 + 400_000 + i);
    const perHour = 4 + rng() * 36;
    const startHour = startIn(rng);
    const shape: TermShape = { kind: 'new', startHour, perHour, durationHours: 24 };
    terms.push({ series: termSeries(`#new${i}`, totals, volume, shape, rng), truth: { kind: 'new', startHour, perHour } });
  }
  return { totals, terms };
}
