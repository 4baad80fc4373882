import { Command } from 'commander';
import { AuditModule } from '@loupe/domain/audit';
import { TrendAlertService, trendAlertsCsv, TrendScanService, type TrendAlertRecord } from '@loupe/domain/analysis';
import { withCliContext } from '../cli-context';

const CONTEXT = { imports: [AuditModule], providers: [TrendScanService, TrendAlertService] };
/** The command line acts with the database's own access; the audit log records it as the system. */
const CLI_ACTOR = null;

const hour = (d: Date) => d.toISOString().slice(0, 13).replace('T', ' ') + 'h';

function table(alerts: TrendAlertRecord[]): string {
  const header = ['id', 'kind', 'subject', 'policy', 'status', 'first seen', 'last seen', 'count', 'baseline', 'lift'];
  const lines = alerts.map((a) => [
    a.id,
    a.kind,
    a.subject.length > 40 ? `${a.subject.slice(0, 39)}…` : a.subject,
    a.policyId ?? '-',
    a.status,
    hour(a.firstSeenAt),
    hour(a.lastSeenAt),
    String(a.count),
    a.baseline.toFixed(1),
    `${a.lift.toFixed(1)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((cells) => cells.map((c, i) => (i >= 7 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** Emerging-trend alerts, read straight from the database: list the open ones, scan first, or acknowledge one. */
export function trendsCommand(): Command {
  return new Command('trends')
    .description('Emerging trends: term bursts, new visual clusters and bank-match surges (open alerts by default)')
    .option('--scan', 'scan for trends first (up to the hour just ended, or --until)')
    .option('--until <time>', 'with --scan: scan as of this ISO time')
    .option('--hours <n>', 'with --scan: hours to read (default 72)')
    .option('--ack <id>', 'acknowledge this alert instead of listing')
    .option('--note <text>', 'with --ack: a note kept with it')
    .option('--status <status>', 'open, acknowledged or all', 'open')
    .option('--kind <kind>', 'term_burst, visual_cluster or bank_surge')
    .option('--policy <id>', "only this policy's alerts")
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (options: { scan?: boolean; until?: string; hours?: string; ack?: string; note?: string; status: string; kind?: string; policy?: string; format: string }) => {
      if (!['open', 'acknowledged', 'all'].includes(options.status)) throw new Error(`--status must be open, acknowledged or all; got ${options.status}`);
      if (options.kind && !['term_burst', 'visual_cluster', 'bank_surge'].includes(options.kind)) throw new Error(`--kind must be term_burst, visual_cluster or bank_surge; got ${options.kind}`);
      const until = options.until ? new Date(options.until) : undefined;
      if (until && Number.isNaN(until.getTime())) throw new Error(`--until must be an ISO time; got ${options.until}`);
      const hours = options.hours ? Number(options.hours) : undefined;
      if (hours !== undefined && !(Number.isInteger(hours) && hours >= 13)) throw new Error(`--hours must be a whole number of at least 13; got ${options.hours}`);
      await withCliContext(CONTEXT, async (app) => {
        const alerts = app.get(TrendAlertService);
        if (options.ack) {
          const acknowledged = await alerts.acknowledge(options.ack, CLI_ACTOR, options.note ?? null);
          console.log(`Acknowledged ${acknowledged.kind} ${acknowledged.subject} (${acknowledged.id})`);
          return;
        }
        if (options.scan) {
          const result = await app.get(TrendScanService).scan({ until, hours });
          console.error(`Scanned ${result.from.toISOString()} to ${result.until.toISOString()}: ${result.flaggedItems} flagged items, ${result.created} new alert(s), ${result.alerts.length - result.created} updated`);
        }
        const list = await alerts.list({
          status: options.status === 'all' ? undefined : (options.status as TrendAlertRecord['status']),
          kind: options.kind as TrendAlertRecord['kind'] | undefined,
          policyId: options.policy,
        });
        if (options.format === 'csv') process.stdout.write(trendAlertsCsv(list));
        else if (options.format === 'json') console.log(JSON.stringify(list, null, 2));
        else console.log(list.length > 0 ? table(list) : `no ${options.status === 'all' ? '' : `${options.status} `}trend alerts`);
      });
    });
}
