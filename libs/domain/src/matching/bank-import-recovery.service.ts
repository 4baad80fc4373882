import { Injectable, Logger } from '@nestjs/common';
import { BankImportRepository, BankImportRow } from '@loupe/database';
import { isPending, JOB_CATALOG, JobQueue, MAX_RECOVERIES } from '@loupe/queue';

/** Imports are few; one page per sweep is plenty. */
const PAGE = 500;

/**
 * Bank imports get what content gets (see ContentRecoveryService): a `pending`
 * or `running` import whose job was lost, or ended without recording its end,
 * is claimed by one sweeper and re-queued, or failed after MAX_RECOVERIES.
 * Re-running an import banks nothing twice: existing entries count as duplicates.
 */
@Injectable()
export class BankImportRecoveryService {
  private readonly logger = new Logger(BankImportRecoveryService.name);

  constructor(
    private readonly imports: BankImportRepository,
    private readonly jobs: JobQueue,
  ) {}

  async sweep(staleBefore: Date): Promise<{ requeued: number; failed: number }> {
    const counts = { requeued: 0, failed: 0 };
    for (const row of await this.imports.findUnfinished(staleBefore, PAGE)) {
      const outcome = await this.recover(row, staleBefore);
      if (outcome) counts[outcome] += 1;
    }
    if (counts.requeued + counts.failed > 0) {
      this.logger.warn(`Recovered stranded bank imports: ${counts.requeued} re-queued, ${counts.failed} failed`);
    }
    return counts;
  }

  private async recover(row: BankImportRow, staleBefore: Date): Promise<'requeued' | 'failed' | null> {
    const payload = { importId: row.id };
    const { queue } = JOB_CATALOG['banks.import'];
    const jobId = JOB_CATALOG['banks.import'].jobId(payload);
    if (isPending(await this.jobs.status(queue, jobId))) return null;
    const claimed = await this.imports.claimForRecovery(row.id, staleBefore);
    if (!claimed) return null;
    if (claimed.recoveryAttempts > MAX_RECOVERIES) {
      const reason = `The import did not finish after ${MAX_RECOVERIES} recoveries of its lost or ended job`;
      return (await this.imports.failUnfinished(row.id, reason)) ? 'failed' : null;
    }
    if (!(await this.jobs.forgetFinished(queue, jobId))) return null;
    await this.jobs.enqueue('banks.import', payload);
    return 'requeued';
  }
}
