import type { TermSeries } from '../term-series';
import { flaggedVolume, mulberry32, termSeries } from './synthetic-streams';

/** One simulated week the specs share: what the issue asks a detector to tell apart. */
export interface WeekScenario {
  readonly burstStart: number;
  /** 4 an hour at mean volume, then doubling every hour from `burstStart` to 32 times. */
  readonly burst: TermSeries;
  /** The same base rate, stepping to 8 times at `burstStart`. */
  readonly step: TermSeries;
  /** 30 an hour, no rhythm of its own. */
  readonly steady: TermSeries;
  /** 60 an hour with its own daily rhythm of ±50% (a "#goodmorning"). */
  readonly rhythmic: TermSeries;
  /** 0.5 an hour: mostly 0 and 1. */
  readonly rare: TermSeries;
}

export const WEEK_HOURS = 168;
const VOLUME = 2000;

export function weekScenario(seed: number, burstStart = 100): WeekScenario {
  const totals = flaggedVolume({ hours: WEEK_HOURS, meanPerHour: VOLUME }, mulberry32(seed));
  // Each term its own random numbers, so changing one term leaves the others as they were.
  const rng = (term: number) => mulberry32(seed * 101 + term);
  return {
    burstStart,
    burst: termSeries('#burst', totals, VOLUME, { kind: 'burst', meanPerHour: 4, startHour: burstStart, growth: 2, maxLift: 32, durationHours: 24 }, rng(1)),
    step: termSeries('#step', totals, VOLUME, { kind: 'burst', meanPerHour: 4, startHour: burstStart, growth: 8, maxLift: 8, durationHours: 24 }, rng(2)),
    steady: termSeries('#steady', totals, VOLUME, { kind: 'steady', meanPerHour: 30 }, rng(3)),
    rhythmic: termSeries('#goodmorning', totals, VOLUME, { kind: 'steady', meanPerHour: 60, dailyAmplitude: 0.5, peakHour: 8 }, rng(4)),
    rare: termSeries('#rare', totals, VOLUME, { kind: 'steady', meanPerHour: 0.5 }, rng(5)),
  };
}

/** A series with the term absent except `counts` at the given hours, over a flat volume. */
export function sparseSeries(term: string, hours: number, total: number, at: Record<number, number>): TermSeries {
  const counts = Array.from({ length: hours }, (_, h) => at[h] ?? 0);
  return { term, counts, totals: new Array<number>(hours).fill(total) };
}

/**
 * A noise-free burst: exactly `base` an hour over a flat volume, doubling each
 * hour from `start` (2, 4, 8 ... times). What any detector must catch by
 * start + 2.
 */
export function cleanDoubling(term: string, hours: number, start: number, base: number): TermSeries {
  const counts = Array.from({ length: hours }, (_, h) => Math.round(h < start ? base : base * Math.min(32, 2 ** (h - start + 1))));
  return { term, counts, totals: new Array<number>(hours).fill(1000) };
}

export interface WeekTally {
  /** Weeks whose doubling burst was first flagged at start, start + 1 or start + 2. */
  readonly burstWithin2: number;
  /** Weeks whose step was first flagged at start or start + 1. */
  readonly stepWithin1: number;
  /** Weeks where either burst was flagged before it started. */
  readonly early: number;
  /** Steady terms flagged at all, as `seed#term`. */
  readonly steadyFlagged: readonly string[];
}

/** Runs a detector over the weeks of the given seeds: the specs' statistical check. */
export function tallyWeeks(seeds: readonly number[], detect: (s: TermSeries) => { firstFlaggedHour: number | null; flaggedHours: readonly number[] }): WeekTally {
  let burstWithin2 = 0;
  let stepWithin1 = 0;
  let early = 0;
  const steadyFlagged: string[] = [];
  for (const seed of seeds) {
    const week = weekScenario(seed);
    const burst = detect(week.burst).firstFlaggedHour;
    const step = detect(week.step).firstFlaggedHour;
    if (burst !== null && burst >= week.burstStart && burst <= week.burstStart + 2) burstWithin2++;
    if (step !== null && step >= week.burstStart && step <= week.burstStart + 1) stepWithin1++;
    if ((burst ?? Infinity) < week.burstStart || (step ?? Infinity) < week.burstStart) early++;
    for (const series of [week.steady, week.rhythmic, week.rare]) {
      if (detect(series).flaggedHours.length > 0) steadyFlagged.push(`${seed}${series.term}`);
    }
  }
  return { burstWithin2, stepWithin1, early, steadyFlagged };
}
