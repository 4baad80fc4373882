import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { BankImportRepository, BankImportRow } from '@loupe/database';
import { MediaStore, StagedFile } from '@loupe/media';
import { JobQueue, QUEUE_RETRY_AFTER_SECONDS } from '@loupe/queue';
import type { BankFileFormat } from './bank-file/bank-record';
import { BankFileImporter, ImportReport } from './bank-file.importer';
import { BankService } from './bank.service';
import type { Principal } from '@loupe/vocabulary';

export function formatFromName(name: string | undefined): BankFileFormat | null {
  const extension = name?.toLowerCase().split('.').pop();
  if (extension === 'csv') return 'csv';
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  return null;
}

/** Bank imports through the API: the uploaded file is kept, and a job runs the import with progress. */
@Injectable()
export class BankImportService {
  private readonly logger = new Logger(BankImportService.name);

  constructor(
    private readonly imports: BankImportRepository,
    private readonly files: BankFileImporter,
    private readonly bankService: BankService,
    private readonly store: MediaStore,
    private readonly jobs: JobQueue,
  ) {}

  /** Keeps an uploaded file and queues its import; answers at once with the import to follow. */
  async start(bankId: string, file: StagedFile, requested: BankFileFormat | undefined, actor: Principal): Promise<BankImportRow> {
    await this.bankService.get(bankId);
    const format = requested ?? formatFromName(file.originalName);
    if (!format) {
      throw ApiError.badRequest('bank_import.unknown_format', 'Name the format (csv or jsonl), or upload a file named .csv, .jsonl or .ndjson');
    }
    const filePath = await this.store.keep(file, 'imports', format);
    const row = await this.imports.create({ bankId, format, filePath, createdBy: actor.id });
    try {
      await this.jobs.enqueue('banks.import', { importId: row.id });
    } catch (error) {
      // As for uploads: the client is told to retry, so the import is undone
      // rather than left to run as well. A failed undo leaves it `pending`,
      // and the recovery sweep runs it.
      this.logger.error(`Could not queue import ${row.id}: ${(error as Error).message}`);
      try {
        await this.imports.delete(row.id);
        await this.store.remove(filePath);
      } catch (undoError) {
        this.logger.error(`Could not undo import ${row.id}; the recovery sweep will run it: ${(undoError as Error).message}`);
      }
      throw ApiError.unavailable('queue.unavailable', 'The job queue is unavailable; retry the import', QUEUE_RETRY_AFTER_SECONDS);
    }
    return row;
  }

  async get(bankId: string, importId: string): Promise<BankImportRow> {
    const row = await this.imports.find(bankId, importId);
    if (!row) throw ApiError.notFound('bank_import.not_found', `No import ${importId} in bank ${bankId}`);
    return row;
  }

  /** Runs a queued import (the job handler calls this). */
  async run(importId: string, progress?: (percent: number) => Promise<void>): Promise<ImportReport> {
    const row = await this.imports.findById(importId);
    if (!row) throw new Error(`No import ${importId}`);
    let lastWrite = 0;
    const report = await this.files.importFile(row.bankId, this.store.resolve(row.filePath), row.format, null, async (current, fraction) => {
      if (Date.now() - lastWrite < 500 && fraction < 1) return;
      lastWrite = Date.now();
      await this.imports.progress(importId, { ...current, status: 'running' });
      await progress?.(Math.floor(fraction * 100));
    });
    await this.imports.finish(importId, { ...report, status: 'completed' });
    await this.store.remove(row.filePath);
    return report;
  }

  async markFailed(importId: string, reason: string): Promise<void> {
    await this.imports.finish(importId, { status: 'failed', failureReason: reason });
  }
}
