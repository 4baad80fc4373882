/*
 * Term bursts (issue 10): the Poisson test against a trailing window against
 * Kleinberg's automaton run online, on seeded synthetic streams with known
 * truth (libs/domain/src/analysis/trends/testing/synthetic-streams.ts).
 *
 *   npm run bench:trends [-- --seeds 6]
 *
 * Each seed is one population over one shared flagged volume (2,000 items an
 * hour on average, a daily cycle of 3:1): 500 steady terms, 100 bursts and 50
 * new terms, 216 hours long. Bursts and new terms start between hour 48 and
 * hour 192; steady terms are judged over hours 48-215, one week.
 *
 * - detected: the first hour flagged at or after the start falls within the
 *   burst's 24 hours; delay = that hour - start.
 * - false positives: steady terms with any flagged hour in the week, per
 *   1,000 steady terms (so per 1,000 terms per week).
 * - time: detection over the 650 series of the first population, per 10,000
 *   series (one thread; the fastest of 5 rounds).
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  detectKleinbergBursts,
  detectPoissonBursts,
  type KleinbergStreamOptions,
  type PoissonBurstOptions,
  type TermBurstResult,
  type TermSeries,
} from '@loupe/domain/analysis/trends';
import { syntheticPopulation, type LabelledSeries } from '@loupe/domain/analysis/trends/testing';

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const SEEDS = Number(arg('--seeds') ?? 6);
const HOURS = 216;
const EVAL_FROM = 48;
const BURST_HOURS = 24;
const TIMING_ROUNDS = 5;

interface Config {
  readonly name: string;
  readonly settings: string;
  readonly run: (s: TermSeries) => TermBurstResult;
}

const poisson = (o: Partial<PoissonBurstOptions>, settings: string): Config => ({
  name: 'poisson',
  settings,
  run: (s) => detectPoissonBursts(s, o),
});
const kleinberg = (o: Partial<KleinbergStreamOptions>, settings: string): Config => ({
  name: 'kleinberg',
  settings,
  run: (s) => detectKleinbergBursts(s, o),
});

const CONFIGS: Config[] = [
  poisson({}, 'default: 48 h, alpha 1e-5, lift >= 3, count >= 5, over-dispersion lagged 12 h'),
  poisson({ overdispersion: false, alpha: 1e-6 }, 'pure Poisson (no over-dispersion), alpha 1e-6'),
  poisson({ overdispersion: false, alpha: 1e-6, baselineHours: 72 }, 'pure Poisson, alpha 1e-6, 72 h'),
  poisson({ overdispersion: false, alpha: 1e-5 }, 'pure Poisson, alpha 1e-5'),
  poisson({ dispersionLagHours: 0 }, 'over-dispersion not lagged'),
  poisson({ dispersionLagHours: 24 }, 'over-dispersion lagged 24 h'),
  poisson({ baselineHours: 24 }, '24 h window'),
  poisson({ baselineHours: 72 }, '72 h window'),
  poisson({ alpha: 1e-3 }, 'alpha 1e-3'),
  poisson({ alpha: 1e-4 }, 'alpha 1e-4'),
  poisson({ alpha: 1e-6 }, 'alpha 1e-6'),
  poisson({ minLift: 2 }, 'lift >= 2'),
  kleinberg({ s: 2, gamma: 1, minLift: 0 }, "the paper's s 2, gamma 1; 2 states, 49 h window, count >= 5"),
  kleinberg({ s: 3, gamma: 1, minLift: 0 }, 's 3'),
  kleinberg({ s: 4, gamma: 1, minLift: 0 }, 's 4'),
  kleinberg({ s: 2, gamma: 2, minLift: 0 }, 'gamma 2'),
  kleinberg({ s: 2, gamma: 1, minLift: 0, states: 3 }, '3 states'),
  kleinberg({ s: 2, gamma: 1, minLift: 3 }, 'lift >= 3 (as Poisson)'),
  kleinberg({ s: 2, gamma: 1, minLift: 3, minCount: 8 }, 'lift >= 3, count >= 8'),
  kleinberg({ s: 2, gamma: 2, minLift: 3 }, 'gamma 2, lift >= 3'),
  kleinberg({ s: 4, gamma: 2, minLift: 3 }, 'default: s 4, gamma 2, lift >= 3'),
];

interface Tally {
  bursts: number;
  detected: number;
  within2: number;
  strong: number;
  strongWithin2: number;
  delays: number[];
  newTerms: number;
  newDetected: number;
  newDelays: number[];
  steady: number;
  steadyFalse: number;
  rhythmic: number;
  rhythmicFalse: number;
  /** Bursting terms flagged in the week before their burst started. */
  early: number;
  ms: number;
  series: number;
}

function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function score(tally: Tally, item: LabelledSeries, result: TermBurstResult): void {
  const { truth } = item;
  if (truth.kind === 'steady') {
    const flagged = result.flaggedHours.some((h) => h >= EVAL_FROM);
    tally.steady++;
    if (flagged) tally.steadyFalse++;
    if (truth.dailyAmplitude > 0) {
      tally.rhythmic++;
      if (flagged) tally.rhythmicFalse++;
    }
    return;
  }
  const first = result.flaggedHours.find((h) => h >= truth.startHour);
  const hit = first !== undefined && first < truth.startHour + BURST_HOURS;
  if (truth.kind === 'burst') {
    tally.bursts++;
    if (result.flaggedHours.some((h) => h >= EVAL_FROM && h < truth.startHour)) tally.early++;
    // Strong: at least doubling from at least 1 an hour, or a step; what "flagged within two hours" is asked of.
    const strong = truth.meanPerHour >= 1 && truth.growth >= 2;
    if (strong) tally.strong++;
    if (strong && hit && first - truth.startHour <= 2) tally.strongWithin2++;
    if (hit) {
      tally.detected++;
      tally.delays.push(first - truth.startHour);
      if (first - truth.startHour <= 2) tally.within2++;
    }
  } else {
    tally.newTerms++;
    if (hit) {
      tally.newDetected++;
      tally.newDelays.push(first - truth.startHour);
    }
  }
}

function main(): void {
  const started = performance.now();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const populations = Array.from({ length: SEEDS }, (_, i) =>
    syntheticPopulation({ seed: 101 + i, hours: HOURS, firstStart: EVAL_FROM, steady: 500, bursting: 100, newTerms: 50 }),
  );
  const tallies = CONFIGS.map((): Tally => ({
    bursts: 0, detected: 0, within2: 0, strong: 0, strongWithin2: 0, delays: [], newTerms: 0, newDetected: 0, newDelays: [],
    steady: 0, steadyFalse: 0, rhythmic: 0, rhythmicFalse: 0, early: 0, ms: 0, series: 0,
  }));
  // Warm-up: the first population through every config, untimed, so JIT compilation is not measured.
  for (const config of CONFIGS) for (const item of populations[0].terms) config.run(item.series);
  for (const population of populations) {
    CONFIGS.forEach((config, c) => {
      population.terms.forEach((item) => score(tallies[c], item, config.run(item.series)));
    });
  }
  // Timing apart from scoring: each config over the first population, in TIMING_ROUNDS rounds, the
  // fastest round kept (the first config timed otherwise paid for the garbage the others left).
  for (let round = 0; round < TIMING_ROUNDS; round++) {
    CONFIGS.forEach((config, c) => {
      const t0 = performance.now();
      for (const item of populations[0].terms) config.run(item.series);
      const ms = performance.now() - t0;
      tallies[c].ms = round === 0 ? ms : Math.min(tallies[c].ms, ms);
      tallies[c].series = populations[0].terms.length;
    });
  }
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  console.log(`- command: \`npm run bench:trends\`${SEEDS !== 6 ? ` -- --seeds ${SEEDS}` : ''}`);
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}`);
  console.log(`- populations: ${SEEDS} seeds x (500 steady, 100 bursting, 50 new) over ${HOURS} h; week judged: hours ${EVAL_FROM}-${HOURS - 1}`);
  console.log(`- load average (1/5/15 min) before: ${load}`);
  console.log('');
  console.log('| detector | settings | bursts detected | within 2 h (strong bursts) | delay median / p90 (h) | new terms detected (delay median) | false-positive steady terms per 1,000 per week (with a daily rhythm) | bursting terms flagged before their start | ms per 10,000 series |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  CONFIGS.forEach((config, c) => {
    const t = tallies[c];
    console.log(
      `| ${config.name} | ${config.settings} | ${pct(t.detected, t.bursts)} | ${pct(t.within2, t.bursts)} (${pct(t.strongWithin2, t.strong)}) | ${quantile(t.delays, 0.5)} / ${quantile(t.delays, 0.9)} | ` +
        `${pct(t.newDetected, t.newTerms)} (${quantile(t.newDelays, 0.5)}) | ${((1000 * t.steadyFalse) / t.steady).toFixed(1)} (${((1000 * t.rhythmicFalse) / t.rhythmic).toFixed(1)}) | ` +
        `${t.early} of ${t.bursts} | ${((t.ms * 10_000) / t.series).toFixed(0)} |`,
    );
  });
  console.log('');
  console.log(`- wall time ${((performance.now() - started) / 1000).toFixed(1)} s; load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main();
