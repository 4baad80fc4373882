/**
 * The command line of the simulator, shared by `npm run simulate` (this
 * app's main.ts) and `loupe simulate` (the CLI adds the same command).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONCURRENCY, DEFAULT_RETRAIN_EVERY_HOURS, simulate } from './simulate';
import { DEFAULT_WORLD } from './world/world';

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

const integer = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

const share = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
};

export function simulateCommand(name = 'simulate'): Command {
  return new Command(name)
    .description(
      'Run a simulated platform with ground truth against Loupe over its HTTP API (uploads, views, reports, review, appeals), ' +
        'and write a report of what Loupe removed, when, and at what human cost. Without --url it starts Loupe on the embedded defaults.',
    )
    .option('--hours <n>', 'simulated hours', positiveInt, 24)
    .option('--uploads <n>', 'uploads over the run', positiveInt, 20_000)
    .option('--seed <n>', 'the world seed: the same seed gives the same world', integer, 1)
    .option('--url <url>', 'a running Loupe (default: start one on the embedded defaults)')
    .addOption(new Option('--admin-key <key>', 'an admin API key of the Loupe at --url').env('LOUPE_ADMIN_KEY'))
    .option('--out <dir>', 'where to write report.md, report.json and the plots (default: docs/simulation/, with the Markdown at docs/simulation.md)')
    .option('--tick-minutes <n>', 'simulated minutes per step', positiveInt)
    .option('--trend-hour <n>', 'the simulated hour the trend starts (default: half-way)', integer)
    .option('--no-trend', 'no emerging trend')
    .option('--retrain-every <hours>', 'simulated hours between scheduled retrainings (0: none)', integer, DEFAULT_RETRAIN_EVERY_HOURS)
    .option('--no-watch', "the analyst does not watch the trends the hourly scans flag (no holding of new uploads that carry their hashtag)")
    .option('--history <n>', "labelled items from the day before, reviewed and trained on before simulated 0 (the platform's history; 0: none)", integer, DEFAULT_WORLD.historyItems)
    .option('--gold <n>', 'history items made gold items (with their true answer) before simulated 0, on top of --history; 0: no gold checks', integer, DEFAULT_WORLD.goldItems)
    .option('--gold-rate <share>', "share of the default queue's claims answered with a gold task", share, DEFAULT_WORLD.goldRate)
    .option('--min-labels <n>', "labels of each class a policy needs for a head in those runs (the run's minLabelsPerClass)", positiveInt, 20)
    .option('--concurrency <n>', 'uploads in flight at once', positiveInt, DEFAULT_CONCURRENCY)
    .action(async (options: { hours: number; uploads: number; seed: number; url?: string; adminKey?: string; out?: string; tickMinutes?: number; trendHour?: number; trend: boolean; retrainEvery: number; watch: boolean; history: number; gold: number; goldRate: number; minLabels: number; concurrency: number }) => {
      const { report, files } = await simulate({
        hours: options.hours,
        uploads: options.uploads,
        seed: options.seed,
        url: options.url?.replace(/\/+$/, ''),
        adminKey: options.adminKey,
        out: options.out,
        tickMinutes: options.tickMinutes,
        trendStartHour: options.trend ? options.trendHour : null,
        concurrency: options.concurrency,
        retrainEveryHours: options.retrainEvery,
        minLabelsPerClass: options.minLabels,
        historyItems: options.history,
        watchTrends: options.watch,
        world: { goldItems: options.gold, goldRate: options.goldRate },
        command: [
          `npm run simulate -- --hours ${options.hours} --uploads ${options.uploads} --seed ${options.seed}`,
          options.url ? `--url ${options.url}` : '',
          options.out ? `--out ${options.out}` : '',
          options.tickMinutes ? `--tick-minutes ${options.tickMinutes}` : '',
          !options.trend ? '--no-trend' : options.trendHour !== undefined ? `--trend-hour ${options.trendHour}` : '',
          options.retrainEvery !== DEFAULT_RETRAIN_EVERY_HOURS ? `--retrain-every ${options.retrainEvery}` : '',
          options.history !== DEFAULT_WORLD.historyItems ? `--history ${options.history}` : '',
          options.gold !== DEFAULT_WORLD.goldItems ? `--gold ${options.gold}` : '',
          options.goldRate !== DEFAULT_WORLD.goldRate ? `--gold-rate ${options.goldRate}` : '',
          options.watch ? '' : '--no-watch',
        ]
          .filter(Boolean)
          .join(' '),
      });
      const overall = report.figures.removal.overall;
      console.log(
        `${report.figures.uploaded} uploads, ${overall.violating} violating: ${overall.removedBeforeAnyView} removed before any view ` +
          `(${overall.shareBeforeAnyView === null ? '–' : (overall.shareBeforeAnyView * 100).toFixed(1) + '%'}), ${overall.missed} missed; ` +
          `${report.figures.humanCost.reviews} reviews. Report: ${files.markdown}`,
      );
      for (const t of report.targets) console.log(`  [${t.status}] ${t.target}: ${t.value}`);
    });
}
