import { BankRecord, BankRecordError, formatVpdqFrames, toBankRecord } from './bank-record';

export const CSV_COLUMNS = ['signal_type', 'hash', 'quality', 'source', 'note', 'tags'] as const;

/** Splits one RFC 4180 CSV line; quoted fields may hold commas and doubled quotes, not line breaks. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) throw new BankRecordError('unterminated quoted field');
  fields.push(field);
  return fields;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Reads a bank file line by line. CSV needs a header naming its columns
 * (any order; signal_type and hash are required). Blank lines are skipped.
 */
export class BankFileReader {
  private columns: string[] | null = null;

  constructor(readonly format: 'csv' | 'jsonl') {}

  /** Null for a header or blank line; throws BankRecordError for a bad line. */
  read(line: string): BankRecord | null {
    const text = line.replace(/^\uFEFF/, '').trimEnd();
    if (text.trim() === '') return null;
    if (this.format === 'jsonl') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new BankRecordError('not valid JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BankRecordError('each line must be a JSON object');
      return toBankRecord(parsed as Record<string, unknown>);
    }
    const fields = splitCsvLine(text);
    if (!this.columns) {
      this.columns = fields.map((f) => f.trim().toLowerCase());
      const missing = ['signal_type', 'hash'].filter((c) => !this.columns!.includes(c));
      if (missing.length > 0) {
        const header = this.columns;
        this.columns = null;
        throw new BankRecordError(`the CSV header must name the columns (${CSV_COLUMNS.join(',')}); missing ${missing.join(', ')} in "${header.join(',')}"`);
      }
      return null;
    }
    if (fields.length !== this.columns.length) {
      throw new BankRecordError(`expected ${this.columns.length} fields, found ${fields.length}`);
    }
    return toBankRecord(Object.fromEntries(this.columns.map((c, i) => [c, fields[i]])));
  }
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',');
}

export function formatBankRecord(format: 'csv' | 'jsonl', record: BankRecord): string {
  if (format === 'jsonl') {
    const base = { signal_type: record.signalType };
    const body =
      record.signalType === 'pdq'
        ? { hash: record.hash }
        : { frames: record.frames!.map((f) => ({ frame_number: f.frameNumber, quality: f.quality, pdq: f.pdq, timestamp: f.timestamp })) };
    return JSON.stringify({ ...base, ...body, quality: record.quality, source: record.source, note: record.note, tags: record.tags });
  }
  const hash = record.signalType === 'pdq' ? record.hash! : formatVpdqFrames(record.frames!);
  return [record.signalType, hash, String(record.quality), record.source, record.note, record.tags.join(';')].map(csvField).join(',');
}
