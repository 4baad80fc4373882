import { Command } from 'commander';
import { MissesRollupService, MissesService, missesCsv, type MissesReport } from '@loupe/domain/analysis';
import { withCliContext } from '../cli-context';

const CONTEXT = { providers: [MissesService, MissesRollupService] };

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const duration = (seconds: number | null) =>
  seconds === null ? '-' : seconds < 60 ? `${Math.round(seconds)} s` : seconds < 3600 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;

function table(header: string[], lines: string[][], leftColumns: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((cells) => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

function text(report: MissesReport): string {
  const { period, totals, causes } = report;
  const out = [
    `Missed violations, ${period.label} (${period.from.toISOString().slice(0, 10)} to ${period.to.toISOString().slice(0, 10)}, UTC)`,
    `${totals.missed} of ${totals.violations} violations were let through first (miss rate ${pct(totals.missRate)}); ${totals.viewsBeforeRemoval} views before removal; median ${duration(totals.medianSecondsToRemoval)} from upload to removal`,
    `causes: ${Object.entries(causes).map(([cause, n]) => `${cause} ${n}`).join(', ')}`,
  ];
  const policies = report.rates.filter((r) => r.dimension === 'policy');
  if (policies.length > 0) {
    out.push('', table(['policy', 'violations', 'missed', 'miss rate'], policies.map((r) => [r.value, String(r.violations), String(r.missed), pct(r.missRate)]), 1));
  }
  if (report.items.length > 0) {
    const lines = report.items.map((m) => [m.contentId, m.policyId, m.allowed.by, m.confirmedBy, m.cause, m.arrival.score === null ? '-' : m.arrival.score.toFixed(3), String(m.viewsBeforeRemoval), duration(m.secondsToRemoval)]);
    out.push('', table(['content', 'policy', 'allowed by', 'confirmed by', 'cause', 'score', 'views', 'to removal'], lines, 5));
  }
  for (const w of report.whatIf) {
    out.push('', `${w.policyId}: review threshold ${w.currentReviewThreshold}; ${w.recommendation ? w.recommendation.reason : 'no lower threshold would have caught a miss.'}`);
  }
  return out.join('\n');
}

/** `loupe report misses`: the missed-violations report, read straight from the database. */
export function missesCommand(): Command {
  return new Command('misses')
    .description('Missed violations: content let through first and confirmed violating later; miss rates, causes, and what a lower review threshold would have caught')
    .requiredOption('--period <period>', 'a day (2026-12-01), an ISO week (2026-W49), a month (2026-12) or a quarter (2026-Q4), UTC')
    .option('--policy <id>', "only this policy's violations")
    .option('--region <code>', 'only content from this country (ISO 3166-1 alpha-2)')
    .option('--language <tag>', 'only content in this language')
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (options: { period: string; policy?: string; region?: string; language?: string; format: string }) => {
      if (!['table', 'csv', 'json'].includes(options.format)) throw new Error(`--format must be table, csv or json; got "${options.format}"`);
      await withCliContext(CONTEXT, async (app) => {
        const report = await app.get(MissesService).report(options.period, { policyId: options.policy, region: options.region?.toUpperCase(), language: options.language });
        if (options.format === 'csv') process.stdout.write(missesCsv(report.items));
        else if (options.format === 'json') console.log(JSON.stringify({ ...report, period: report.period.label, from: report.period.from, to: report.period.to }, null, 2));
        else console.log(text(report));
      });
    });
}
