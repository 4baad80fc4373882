import { Command } from 'commander';
import { ACCURACY_TABLES, AccuracyService, accuracyCsv, type AccuracyReport, type AccuracyTable } from '@loupe/domain/analysis';
import { withCliContext } from '../cli-context';

const CONTEXT = { providers: [AccuracyService] };

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);

function columns(header: string[], lines: string[][], left: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((cells) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

function tables(report: AccuracyReport): string {
  const moderators = columns(
    ['moderator', 'team', 'policy', 'gold', 'gold 95%', 'est. sens.', 'est. spec.', 'est. acc.', 'scored', 'accuracy', 'weighted'],
    report.moderators.map((r) => [
      r.name ?? r.moderatorId,
      r.team,
      r.policyId,
      r.gold ? `${r.gold.correct}/${r.gold.reviews}` : '-',
      r.gold ? `${pct(r.gold.interval.lower)}–${pct(r.gold.interval.upper)}` : '-',
      pct(r.estimated?.sensitivity),
      pct(r.estimated?.specificity),
      pct(r.estimated?.accuracy),
      String(r.observed?.decisions ?? 0),
      pct(r.observed?.accuracy),
      pct(r.weighted?.accuracy),
    ]),
    3,
  );
  const weakest = columns(
    ['team', 'policy', 'nuance', 'right', 'accuracy', '95%'],
    report.weakest.slice(0, 10).map((c) => [c.team, c.policyId, c.nuance ?? '-', `${c.correct}/${c.decisions}`, pct(c.accuracy), `${pct(c.interval.lower)}–${pct(c.interval.upper)}`]),
    3,
  );
  return `${moderators}\n\nWeakest (team, policy, nuance), for targeted training:\n${weakest}`;
}

/** `loupe report accuracy`: moderator accuracy, read straight from the database. */
export function accuracyCommand(): Command {
  return new Command('accuracy')
    .description("Moderator accuracy: gold with Wilson intervals, Dawid–Skene estimates, agreement, and the weakest (team, policy, nuance) cells")
    .option('--period <period>', 'a day, ISO week, month or quarter (UTC); all time when absent')
    .option('--policy <id>', 'only this policy')
    .option('--team <team>', "only this team's moderators")
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--table <table>', `with --format csv: ${ACCURACY_TABLES.join(', ')}`, 'moderators')
    .action(async (options: { period?: string; policy?: string; team?: string; format: string; table: string }) => {
      if (!ACCURACY_TABLES.includes(options.table as AccuracyTable)) throw new Error(`--table must be one of ${ACCURACY_TABLES.join(', ')}`);
      await withCliContext(CONTEXT, async (app) => {
        const report = await app.get(AccuracyService).report({ period: options.period, policyId: options.policy, team: options.team });
        if (options.format === 'csv') process.stdout.write(accuracyCsv(report, options.table as AccuracyTable));
        else if (options.format === 'json') console.log(JSON.stringify(report, null, 2));
        else console.log(`Moderator accuracy, ${report.period.label ?? 'all time'}\n${report.moderators.length > 0 ? tables(report) : 'no reviews'}`);
      });
    });
}
