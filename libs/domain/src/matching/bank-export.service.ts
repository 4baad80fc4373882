import { Injectable } from '@nestjs/common';
import { BankRepository } from '@loupe/database';
import { recordFromEntry } from './bank-file/bank-entry';
import { csvHeader, formatBankRecord } from './bank-file/bank-file.codec';
import type { BankFileFormat } from './bank-file/bank-record';
import { BankService } from './bank.service';

const PAGE = 1000;

/** Writes a bank out in the same CSV or JSONL form that imports read, entry by entry. */
@Injectable()
export class BankExportService {
  constructor(
    private readonly banks: BankRepository,
    private readonly bankService: BankService,
  ) {}

  /**
   * Checks the bank exists (so an HTTP caller still gets a 404, before any
   * byte is sent), then returns the file's lines.
   */
  async open(bankId: string, format: BankFileFormat, onProgress?: (entries: number) => void): Promise<AsyncGenerator<string>> {
    await this.bankService.get(bankId);
    return this.lines(bankId, format, onProgress);
  }

  /** The lines, a page at a time, so a bank of millions streams in constant memory. `onProgress` gets entries written. */
  private async *lines(bankId: string, format: BankFileFormat, onProgress?: (entries: number) => void): AsyncGenerator<string> {
    if (format === 'csv') yield `${csvHeader()}\n`;
    let afterSeq = 0;
    let written = 0;
    for (;;) {
      const entries = await this.banks.entriesAfter(bankId, PAGE, afterSeq);
      if (entries.length === 0) return;
      const items = await this.banks.itemsOfEntries(entries.map((e) => e.id));
      const byEntry = new Map<string, typeof items>();
      for (const item of items) byEntry.set(item.entryId, [...(byEntry.get(item.entryId) ?? []), item]);
      let chunk = '';
      for (const entry of entries) chunk += `${formatBankRecord(format, recordFromEntry(entry, byEntry.get(entry.id) ?? []))}\n`;
      yield chunk;
      written += entries.length;
      onProgress?.(written);
      afterSeq = entries[entries.length - 1].seq;
    }
  }
}
