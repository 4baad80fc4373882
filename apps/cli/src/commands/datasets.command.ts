import { Command, InvalidArgumentError } from 'commander';
import { AuditService } from '@loupe/domain/audit';
import { DatasetFiles, DatasetProgress, DatasetService, type DatasetRow } from '@loupe/domain/learning';
import { LABEL_PROVENANCES, type LabelProvenance } from '@loupe/vocabulary';
import { withCliContext } from '../cli-context';
import { progressBar } from '../progress';

const providers = [DatasetService, DatasetFiles, AuditService];

function parseTime(value: string): string {
  if (Number.isNaN(new Date(value).getTime())) throw new InvalidArgumentError('must be an ISO date or time');
  return value;
}

function parseShare(value: string): number {
  const share = Number(value);
  if (!(share >= 0 && share < 1)) throw new InvalidArgumentError('must be at least 0 and below 1');
  return share;
}

function collect(check: (value: string) => string) {
  return (value: string, previous: string[] = []) => [...previous, check(value)];
}

function provenance(value: string): string {
  if (!(LABEL_PROVENANCES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${LABEL_PROVENANCES.join(', ')}`);
  return value;
}

function describe(row: DatasetRow, directory: string): string {
  const { rows, byPolicy, left } = row.counts;
  const policies = Object.entries(byPolicy).map(([policy, splits]) => {
    const cells = (['train', 'test', 'gold'] as const).map((s) => `${s} ${splits[s]?.positive ?? 0}+/${splits[s]?.negative ?? 0}-`);
    return `  ${policy.padEnd(28)} ${cells.join('  ')}`;
  });
  return [
    `${row.id}  ${row.name}  (${row.createdAt.toISOString()})`,
    `rows: train ${rows.train}, test ${rows.test}, gold ${rows.gold}; left out: ${left.superseded} superseded, ${left.failingGold} failing gold, ${left.gold} gold items, ${left.filtered} filtered`,
    `hash: ${row.rowsHash}`,
    `files: ${directory}`,
    ...(policies.length > 0 ? ['per policy (positive+/negative-):', ...policies] : []),
  ].join('\n');
}

export function datasetsCommand(): Command {
  const datasets = new Command('datasets').description('Datasets: snapshots of training labels, split for training and evaluation');
  datasets
    .command('create')
    .description('Snapshot training labels into DATA_DIR/datasets/<id>/ (manifest.json, rows.jsonl)')
    .option('--name <name>', 'a name to find it by')
    .option('--from <time>', 'labelled at or after (ISO)', parseTime)
    .option('--to <time>', 'labelled before (ISO)', parseTime)
    .option('--policy <policyId>', "only this policy's labels (repeatable)", collect((v) => v))
    .option('--provenance <how>', `${LABEL_PROVENANCES.join(' | ')} (repeatable)`, collect(provenance))
    .option('--test-share <share>', 'the most recent share of labels that tests (default 0.2)', parseShare)
    .option('--failing-gold <rule>', 'labels of moderators failing gold: exclude (default) | downweight', (v) => {
      if (v !== 'exclude' && v !== 'downweight') throw new InvalidArgumentError('must be exclude or downweight');
      return v;
    })
    .option('--json', 'print the dataset as JSON')
    .action(async (options: { name?: string; from?: string; to?: string; policy?: string[]; provenance?: string[]; testShare?: number; failingGold?: 'exclude' | 'downweight'; json?: boolean }) => {
      await withCliContext({ providers }, async (app) => {
        const service = app.get(DatasetService);
        let bar: ReturnType<typeof progressBar> | undefined;
        let stage: DatasetProgress['stage'] | undefined;
        const row = await service.create(
          {
            name: options.name,
            filter: { from: options.from, to: options.to, policyIds: options.policy, provenances: options.provenance as LabelProvenance[] | undefined },
            rules: { testShare: options.testShare, failingGold: options.failingGold },
          },
          null,
          (progress) => {
            if (progress.stage !== stage) {
              bar?.stop();
              stage = progress.stage;
              bar = progressBar(progress.stage, Math.max(1, progress.total), progress.stage === 'reading labels' ? ' labels' : ' rows');
            }
            bar!.update(progress.done);
          },
        );
        bar?.stop();
        console.log(options.json ? JSON.stringify(row, null, 2) : describe(row, service.directory(row.id)));
      });
    });
  datasets
    .command('list')
    .description('List datasets, newest first')
    .action(async () => {
      await withCliContext({ providers }, async (app) => {
        for (const row of await app.get(DatasetService).list()) {
          console.log(`${row.id}  ${row.createdAt.toISOString()}  ${String(row.rowCount).padStart(7)} rows  ${row.name}`);
        }
      });
    });
  datasets
    .command('show <id>')
    .description('Show a dataset: counts per policy and split, what was left out, its hash and files')
    .action(async (id: string) => {
      await withCliContext({ providers }, async (app) => {
        const service = app.get(DatasetService);
        console.log(describe(await service.get(id), service.directory(id)));
      });
    });
  return datasets;
}
