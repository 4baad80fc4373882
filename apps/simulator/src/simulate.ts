/**
 * One simulation run: the world from the seed, Loupe (the one at `url`, or
 * one started on the embedded defaults), the driver, and the report.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '@loupe/common';
import { SimulationDriver } from './driver/driver';
import type { TrendScanRecord } from './driver/ledger';
import { trendDetection } from './driver/trend-scans';
import { launchLoupe, LaunchedLoupe } from './loupe/launch';
import { LoupeHttp } from './loupe/http';
import { computeFigures } from './report/figures';
import { SimulationReport, writeReport } from './report/report';
import { evaluateTargets, RunInfo } from './report/targets';
import { generateWorld, WorldConfig, HOUR } from './world/world';

/**
 * Every 3 simulated hours: a platform retrains daily, but a simulated day is
 * short, and a trend that starts half-way needs a retrain or two after it has
 * labels to be learned before the day ends. A run costs seconds.
 */
export const DEFAULT_RETRAIN_EVERY_HOURS = 3;
/**
 * Uploads in flight at once. Each waits for its decision, polling; at 8 the
 * api's main thread sat two-thirds idle (a CPU profile of the default run),
 * so Loupe was waiting on the simulator, not the other way round.
 */
export const DEFAULT_CONCURRENCY = 16;

export interface SimulateOptions {
  hours: number;
  uploads: number;
  seed: number;
  /** A running Loupe; without it, one is started on the embedded defaults and stopped at the end. */
  url?: string;
  /** An admin key of that Loupe (required with `url`). */
  adminKey?: string;
  /** Where report.json and the plots go (and report.md); default docs/simulation/, with the Markdown at docs/simulation.md. */
  out?: string;
  tickMinutes?: number;
  /** The simulated hour the trend starts; `null` for none; default half-way. */
  trendStartHour?: number | null;
  concurrency?: number;
  /** Simulated hours between scheduled retrainings; 0 for none; default DEFAULT_RETRAIN_EVERY_HOURS. */
  retrainEveryHours?: number;
  /** The analyst watches the sharpest hashtag an hourly scan flags; default true. */
  watchTrends?: boolean;
  /** Labelled items from the day before (the platform's history); default DEFAULT_WORLD.historyItems; 0 for none. */
  historyItems?: number;
  /** Labels of each class a policy needs for a head in the scheduled runs; default 20. */
  minLabelsPerClass?: number;
  world?: Partial<WorldConfig>;
  log?: (line: string) => void;
  /** The command line, for the report. */
  command?: string;
}

export interface SimulateResult {
  report: SimulationReport;
  files: { markdown: string; json: string; plots: string[] };
}

export async function simulate(options: SimulateOptions): Promise<SimulateResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const world = generateWorld({
    seed: options.seed,
    hours: options.hours,
    uploads: options.uploads,
    ...(options.tickMinutes !== undefined ? { tickMinutes: options.tickMinutes } : {}),
    trendStartHour: options.trendStartHour === undefined ? Math.floor(options.hours / 2) : options.trendStartHour,
    ...(options.historyItems !== undefined ? { historyItems: options.historyItems } : {}),
    ...options.world,
  });
  log(`world ${world.digest.slice(0, 16)}: ${world.items.length} uploads, ${world.items.filter((i) => i.violates.length).length} violating, over ${world.config.hours} simulated hours, after a history of ${world.history.length} labelled items`);
  let launched: LaunchedLoupe | null = null;
  let url = options.url;
  let adminKey = options.adminKey;
  if (!url) {
    launched = await launchLoupe({ log });
    url = launched.url;
    adminKey = launched.adminKey;
  }
  if (!adminKey) throw new Error('--admin-key (or LOUPE_ADMIN_KEY) is required with --url');
  try {
    const driver = new SimulationDriver(world, { url, adminKey, concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, retrainEveryHours: options.retrainEveryHours ?? DEFAULT_RETRAIN_EVERY_HOURS, minLabelsPerClass: options.minLabelsPerClass ?? 20, watchTrends: options.watchTrends ?? true, log });
    const result = await driver.run();
    const analyst = new LoupeHttp(url, result.keys.analyst);
    const trendAlert = trendAlertOf(result.ledger.trendScans, world.trend.hashtag);
    const accuracy = await readAccuracy(analyst, world.digest.slice(0, 6));
    const retroHunts = await readRetroHunts(analyst);
    const run: RunInfo = {
      url,
      startedLoupe: launched !== null,
      startedAt: result.startedAt.toISOString(),
      epoch: new Date(result.clock.epoch).toISOString(),
      realSeconds: result.realMs / 1000,
      phaseSeconds: Object.fromEntries(Object.entries(result.ledger.phaseMs).map(([phase, ms]) => [phase, ms / 1000])),
      command: options.command ?? `npm run simulate -- --hours ${options.hours} --uploads ${options.uploads} --seed ${options.seed}`,
      loupe: { trendAlert, accuracy, retroHunts },
      errors: result.ledger.errors,
    };
    const figures = computeFigures(world, result.ledger);
    const report: SimulationReport = {
      version: 1,
      world: { digest: world.digest, config: world.config, moderators: world.moderators, trend: world.trend },
      run,
      figures,
      targets: evaluateTargets(figures, run),
      items: world.items.map((item) => {
        const r = result.ledger.items[item.index];
        return {
          index: item.index,
          contentId: r?.contentId ?? null,
          sha256: r?.sha256 ?? null,
          violates: item.violates,
          category: item.category,
          uploadedAt: item.uploadAt,
          ingestStatus: r?.ingestStatus ?? null,
          status: r?.status ?? null,
          firstViewAt: r?.firstViewAt ?? null,
          removedAt: r?.removedAt ?? null,
          removedBy: r?.removedBy ?? null,
          views: r?.views ?? 0,
          reports: r?.reports.length ?? 0,
          appealOutcome: r?.appealOutcome ?? null,
          reviewEntry: r?.reviewEntry ?? {},
        };
      }),
    };
    const dir = options.out ? path.resolve(options.out) : path.join(PROJECT_ROOT, 'docs/simulation');
    const files = await writeReport(report, dir, options.out ? undefined : path.join(PROJECT_ROOT, 'docs/simulation.md'));
    log(`report: ${files.markdown}, ${files.json}`);
    return { report, files };
  } finally {
    await launched?.stop();
  }
}

/**
 * Loupe's estimate of each moderator's accuracy per policy
 * (GET /v1/analysis/accuracy: Dawid–Skene from overlapping reviews, or
 * against the label that stands, as scored and re-weighted to the
 * moderator's whole mix of judgements), by the simulated moderator's name.
 */
async function readAccuracy(analyst: LoupeHttp, suffix: string): Promise<RunInfo['loupe']['accuracy']> {
  try {
    const report = await analyst.get<{ moderators: { name: string | null; policyId: string; estimated: { accuracy: number; labels: number } | null; observed: { accuracy: number; decisions: number } | null; weighted: { accuracy: number } | null }[] }>(
      '/v1/analysis/accuracy',
    );
    return report.moderators
      .filter((m) => m.name?.endsWith(`-${suffix}`))
      .map((m) => ({
        name: m.name!.slice(0, -(suffix.length + 1)),
        policyId: m.policyId,
        estimated: m.estimated?.accuracy ?? null,
        observed: m.observed?.accuracy ?? null,
        weighted: m.weighted?.accuracy ?? null,
        decisions: m.observed?.decisions ?? m.estimated?.labels ?? 0,
      }));
  } catch {
    return null;
  }
}

/**
 * The retro-hunts Loupe ran on its own (GET /v1/analysis/retro-hunts):
 * after each promotion, and after each batch of a bank's new entries,
 * oldest first. They run beside ingest, so their real time is part of the
 * run's.
 */
async function readRetroHunts(analyst: LoupeHttp): Promise<RunInfo['loupe']['retroHunts']> {
  try {
    const hunts = await analyst.get<{ trigger: string; status: string; total: number; done: number; found: number; startedAt: string | null; finishedAt: string | null; createdAt: string }[]>('/v1/analysis/retro-hunts');
    return hunts
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
      .map((h) => ({
        trigger: h.trigger,
        status: h.status,
        total: h.total,
        done: h.done,
        found: h.found,
        realSeconds: h.startedAt && h.finishedAt ? (Date.parse(h.finishedAt) - Date.parse(h.startedAt)) / 1000 : null,
      }));
  } catch {
    return null;
  }
}

/** What the hourly scans said about the trend's hashtag, and about every other term. */
function trendAlertOf(scans: TrendScanRecord[], hashtag: string): NonNullable<RunInfo['loupe']['trendAlert']> {
  const found = trendDetection(scans, hashtag);
  const hour = (ms: number | null) => (ms === null ? null : ms / HOUR);
  const others = found.others.length === 0 ? 'no other term was flagged' : `other terms flagged: ${found.others.slice(0, 10).join(', ')}${found.others.length > 10 ? ` and ${found.others.length - 10} more` : ''}`;
  return {
    flagged: found.flaggedAt !== null,
    flaggedAtSimHour: hour(found.flaggedAt),
    burstFromSimHour: hour(found.burstFrom),
    otherTerms: found.others,
    scans: scans.length,
    note:
      (found.flaggedAt !== null
        ? `The scan as of simulated hour ${hour(found.flaggedAt)} flagged ${hashtag} (a burst from hour ${hour(found.burstFrom)}); `
        : `No hourly scan flagged ${hashtag}; `) +
      `${others}. ${scans.length} scans${found.failedScans > 0 ? `, ${found.failedScans} of them failed` : ''}.`,
  };
}
