import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, InvalidArgumentError } from 'commander';
import { AuditService } from '@loupe/domain/audit';
import { LabelExportService } from '@loupe/domain/review';
import { withCliContext } from '../cli-context';
import { progressBar } from '../progress';

const PROVENANCES = ['single_review', 'consensus', 'senior', 'gold', 'appeal'];

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be an ISO date or time');
  return date;
}

function parseProvenance(value: string): string {
  if (!PROVENANCES.includes(value)) throw new InvalidArgumentError(`must be one of ${PROVENANCES.join(', ')}`);
  return value;
}

export function labelsCommand(): Command {
  const labels = new Command('labels').description('Training labels');
  labels
    .command('export')
    .description('Export training labels as JSONL (one final label per line)')
    .option('--from <time>', 'labelled at or after (ISO)', parseDate)
    .option('--to <time>', 'labelled before (ISO)', parseDate)
    .option('--policy <policyId>', 'only labels that judge this policy')
    .option('--provenance <how>', PROVENANCES.join(' | '), parseProvenance)
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (options: { from?: Date; to?: Date; policy?: string; provenance?: string; output?: string }) => {
      let count = 0;
      await withCliContext({ providers: [LabelExportService, AuditService] }, async (app) => {
        const out = options.output ? createWriteStream(options.output) : process.stdout;
        const filter = { from: options.from, to: options.to, policyId: options.policy, provenance: options.provenance as 'consensus' | undefined };
        const exporter = app.get(LabelExportService);
        const bar = progressBar('exporting labels', Math.max(1, await exporter.count(filter)), ' labels');
        for await (const chunk of exporter.lines(filter, null, (n) => {
          count = n;
          bar.update(n);
        })) {
          if (!out.write(chunk)) await once(out, 'drain');
        }
        bar.stop();
        if (options.output) {
          (out as ReturnType<typeof createWriteStream>).end();
          await once(out, 'finish');
        }
      });
      if (options.output) console.error(`exported ${count} labels to ${options.output}`);
    });
  return labels;
}
