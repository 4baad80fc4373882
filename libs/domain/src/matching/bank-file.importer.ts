import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Injectable, Logger } from '@nestjs/common';
import { BankIndexRepository, BankRepository, TransactionManager } from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import { newEntryFromRecord } from './bank-file/bank-entry';
import { BankFileReader } from './bank-file/bank-file.codec';
import { BankFileFormat, BankRecord, BankRecordError } from './bank-file/bank-record';
import { BankService } from './bank.service';
import { MatchIndexService } from './match-index.service';
import type { Principal } from '@loupe/vocabulary';

const BATCH = 500;
/** Errors kept on the import row; `failed` counts them all. */
const KEPT_ERRORS = 1000;

export interface ImportReport {
  linesRead: number;
  imported: number;
  duplicates: number;
  failed: number;
  errors: string[];
}

export type ImportProgress = (report: ImportReport, fraction: number) => void | Promise<void>;

/**
 * Imports CSV and JSONL hash files. Lines are read one at a time and banked
 * in batches, each batch in its own transaction, so a bad line is reported by
 * its number and costs only itself, and every good line before a crash stays.
 * Run again, a file banks nothing twice: existing entries count as duplicates.
 */
@Injectable()
export class BankFileImporter {
  private readonly logger = new Logger(BankFileImporter.name);

  constructor(
    private readonly banks: BankRepository,
    private readonly bankIndex: BankIndexRepository,
    private readonly bankService: BankService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly index: MatchIndexService,
  ) {}

  /** Imports a local file into a bank, reporting progress as it goes (the CLI calls this directly). */
  async importFile(bankId: string, file: string, format: BankFileFormat, actor: Principal | null, onProgress?: ImportProgress): Promise<ImportReport> {
    const bank = await this.bankService.get(bankId);
    const size = (await stat(file)).size || 1;
    const report: ImportReport = { linesRead: 0, imported: 0, duplicates: 0, failed: 0, errors: [] };
    const reader = new BankFileReader(format);
    const stream = createReadStream(file);
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let batch: { line: number; record: BankRecord }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const entries = batch.map(({ record }) => newEntryFromRecord(bank.id, record, { createdBy: actor?.id }));
      batch = [];
      await this.transactions.run(async () => {
        const { created, duplicates, itemIds } = await this.banks.addEntries(entries);
        await this.bankIndex.appendChange('add', itemIds);
        report.imported += created.length;
        report.duplicates += duplicates.length;
      });
      this.transactions.afterCommit(() => this.index.refreshSoon());
      await onProgress?.(report, stream.bytesRead / size);
    };
    for await (const line of lines) {
      report.linesRead += 1;
      try {
        const record = reader.read(line);
        if (record) batch.push({ line: report.linesRead, record });
      } catch (error) {
        if (!(error instanceof BankRecordError)) throw error;
        report.failed += 1;
        if (report.errors.length < KEPT_ERRORS) report.errors.push(`line ${report.linesRead}: ${error.message}`);
      }
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await onProgress?.(report, 1);
    await this.audit.record(actor, 'bank.import', { type: 'bank', id: bank.id }, { format, ...report, errors: report.errors.slice(0, 20) });
    this.logger.log(`Imported into ${bank.name}: ${report.imported} new, ${report.duplicates} duplicates, ${report.failed} bad lines`);
    return report;
  }
}
