import { JobContext, JobHandler, JobHandlerFor, JobPayload, PermanentJobError } from '@loupe/queue';
import { BankImportRepository } from '@loupe/database';
import { BankImportService } from './bank-import.service';

@JobHandlerFor('banks.import')
export class BankImportHandler implements JobHandler<'banks.import'> {
  constructor(
    private readonly importer: BankImportService,
    private readonly imports: BankImportRepository,
  ) {}

  async handle({ importId }: JobPayload<'banks.import'>, context: JobContext): Promise<void> {
    const row = await this.imports.findById(importId);
    if (!row) throw new PermanentJobError('bank_import.not_found', `Import ${importId} does not exist`);
    if (row.status === 'completed') return;
    await this.importer.run(importId, (percent) => context.progress(percent));
  }

  async onFailed({ importId }: JobPayload<'banks.import'>, error: Error): Promise<void> {
    await this.importer.markFailed(importId, error.message);
  }
}
