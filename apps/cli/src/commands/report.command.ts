import { Command } from 'commander';
import { PolicyModule } from '@loupe/domain/policy';
import { TransparencyService, transparencyCsv, type TransparencyRow } from '@loupe/domain/analysis';
import { withCliContext } from '../cli-context';
import { missesCommand } from './report-misses.command';
import { accuracyCommand } from './report-accuracy.command';

const CONTEXT = { imports: [PolicyModule], providers: [TransparencyService] };

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const duration = (seconds: number | null) => (seconds === null ? '-' : seconds < 3600 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`);

function table(rows: TransparencyRow[]): string {
  const header = ['policy', 'country', 'removed', 'proactive', 'before any view', 'within 24 h', 'automated', 'by humans', 'appeals', 'reinstated', 'median to action'];
  const lines = rows.map((r) => [
    r.policyId === '*' ? 'all' : r.policyId,
    r.country === '*' ? 'all' : r.country,
    String(r.removed),
    pct(r.proactiveShare),
    pct(r.removedBeforeAnyViewShare),
    pct(r.removedWithin24hShare),
    pct(r.automatedShare),
    String(r.humanReviewed),
    String(r.appeals),
    String(r.reinstatements),
    duration(r.medianSecondsToAction),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

/** Reports for analysts, read straight from the database. */
export function reportCommand(): Command {
  const report = new Command('report').description('Reports for analysts');
  report
    .command('transparency')
    .description('Transparency figures for a period, per policy and country; or the removals as DSA statements of reasons')
    .requiredOption('--period <period>', 'a day (2026-12-01), an ISO week (2026-W49), a month (2026-12) or a quarter (2026-Q4), UTC')
    .option('--policy <id>', "only this policy's rows (and the totals)")
    .option('--country <code>', "only this country's rows (and the totals)")
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--dsa', 'print the removals as DSA statements of reasons instead: one batch of up to 100 per line')
    .action(async (options: { period: string; policy?: string; country?: string; format: string; dsa?: boolean }) => {
      await withCliContext(CONTEXT, async (app) => {
        const transparency = app.get(TransparencyService);
        if (options.dsa) {
          for await (const batch of transparency.dsaExport(options.period).batches) process.stdout.write(`${JSON.stringify(batch)}\n`);
          return;
        }
        const { period, rows } = await transparency.report(options.period, { policyId: options.policy, country: options.country });
        if (options.format === 'csv') process.stdout.write(transparencyCsv(rows));
        else if (options.format === 'json') console.log(JSON.stringify({ period: period.label, from: period.from, to: period.to, rows }, null, 2));
        else console.log(`Transparency, ${period.label} (${period.from.toISOString().slice(0, 10)} to ${period.to.toISOString().slice(0, 10)}, UTC)\n${rows.length > 0 ? table(rows) : 'no removals'}`);
      });
    });
  report.addCommand(missesCommand());
  report.addCommand(accuracyCommand());
  return report;
}
