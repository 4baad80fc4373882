import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, InvalidArgumentError } from 'commander';
import { AuditService } from '@loupe/domain/audit';
import { PolicyModule } from '@loupe/domain/policy';
import {
  BankExportService,
  BankFileFormat,
  BankFileImporter,
  BankService,
  formatFromName,
  MatchIndexService,
} from '@loupe/domain/matching';
import { withCliContext } from '../cli-context';
import { progressBar } from '../progress';

// The policy module loads the catalog, which a bank's policy is checked against, into a fresh database.
const BANK_CONTEXT = { imports: [PolicyModule], providers: [AuditService, BankService, BankFileImporter, BankExportService, MatchIndexService] };

function parseFormat(value: string): BankFileFormat {
  if (value !== 'csv' && value !== 'jsonl') throw new InvalidArgumentError('must be csv or jsonl');
  return value;
}

export function banksCommand(): Command {
  const banks = new Command('banks').description('Hash banks: create, list, import and export');

  banks
    .command('list')
    .description('List banks with their entry counts')
    .action(async () => {
      const rows = await withCliContext(BANK_CONTEXT, (app) => app.get(BankService).list());
      for (const b of rows) {
        console.log([b.id, b.kind.padEnd(5), b.action.padEnd(6), `${b.activeEntryCount}/${b.entryCount}`.padEnd(12), b.policyId ?? '-', b.name].join('  '));
      }
    });

  banks
    .command('create')
    .description('Create a bank')
    .argument('<name>', 'unique name')
    .option('--kind <kind>', 'block (matches act) or allow (matches are suppressed)', 'block')
    .option('--policy <policyId>', 'the policy a match is actioned under')
    .option('--action <action>', 'remove or review', 'remove')
    .option('--distance <n>', 'PDQ match distance', (v) => Number.parseInt(v, 10), 31)
    .action(async (name: string, options: { kind: string; policy?: string; action: string; distance: number }) => {
      if (!['block', 'allow'].includes(options.kind)) throw new InvalidArgumentError('--kind must be block or allow');
      if (!['remove', 'review'].includes(options.action)) throw new InvalidArgumentError('--action must be remove or review');
      const bank = await withCliContext(BANK_CONTEXT, (app) =>
        app.get(BankService).create(
          { name, kind: options.kind as 'block', policyId: options.policy ?? null, action: options.action as 'remove', pdqDistance: options.distance },
          null,
        ),
      );
      console.log(bank.id);
    });

  banks
    .command('import')
    .description('Import a CSV or JSONL hash file into a bank; bad lines are reported by number')
    .argument('<bank>', 'bank name or id')
    .argument('<file>', 'CSV (signal_type,hash,quality,source,note,tags) or JSONL')
    .option('--format <format>', 'csv or jsonl (default: from the file name)', parseFormat)
    .action(async (bankRef: string, file: string, options: { format?: BankFileFormat }) => {
      const format = options.format ?? formatFromName(file);
      if (!format) throw new Error('Cannot tell the format from the file name; pass --format csv or --format jsonl');
      const report = await withCliContext(BANK_CONTEXT, async (app) => {
        const bank = await app.get(BankService).resolve(bankRef);
        const bar = progressBar(`importing into ${bank.name}`, 100, '%');
        try {
          return await app.get(BankFileImporter).importFile(bank.id, file, format, null, (_r, fraction) => bar.update(Math.round(fraction * 100)));
        } finally {
          bar.stop();
        }
      });
      console.log(`imported ${report.imported}, duplicates ${report.duplicates}, bad lines ${report.failed} (of ${report.linesRead} lines)`);
      for (const error of report.errors) console.error(error);
      if (report.failed > report.errors.length) console.error(`… and ${report.failed - report.errors.length} more bad lines`);
      if (report.failed > 0) process.exitCode = 1;
    });

  banks
    .command('export')
    .description('Export a bank as CSV or JSONL (the format imports read)')
    .argument('<bank>', 'bank name or id')
    .option('--format <format>', 'csv or jsonl', parseFormat, 'csv')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (bankRef: string, options: { format: BankFileFormat; output?: string }) => {
      await withCliContext(BANK_CONTEXT, async (app) => {
        const service = app.get(BankService);
        const bank = await service.resolve(bankRef);
        const total = (await service.list()).find((b) => b.id === bank.id)?.entryCount ?? 0;
        const bar = progressBar(`exporting ${bank.name}`, Math.max(total, 1), ' entries');
        const out = options.output ? createWriteStream(options.output) : process.stdout;
        for await (const chunk of await app.get(BankExportService).open(bank.id, options.format, (n) => bar.update(n))) {
          if (!out.write(chunk)) await once(out, 'drain');
        }
        bar.stop();
        if (options.output) {
          (out as ReturnType<typeof createWriteStream>).end();
          await once(out, 'finish');
        }
      });
    });

  return banks;
}
