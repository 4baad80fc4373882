import type { BankHashItemRow, HashBankEntryRow, NewEntry } from '@loupe/database';
import { BankRecord, fingerprintOf } from './bank-record';

/** The rows that bank a record: one entry, and one index item per PDQ hash (one, or one per frame). */
export function newEntryFromRecord(
  bankId: string,
  record: BankRecord,
  extra: { contentId?: string | null; createdBy?: string | null } = {},
): NewEntry {
  return {
    entry: {
      bankId,
      signalType: record.signalType,
      fingerprint: fingerprintOf(record),
      quality: record.quality,
      frameCount: record.signalType === 'pdq' ? 1 : record.frames!.length,
      source: record.source,
      note: record.note,
      tags: record.tags,
      contentId: extra.contentId ?? null,
      createdBy: extra.createdBy ?? null,
    },
    items:
      record.signalType === 'pdq'
        ? [{ hash: record.hash!, quality: record.quality, frameNumber: null, timestampSeconds: null }]
        : record.frames!.map((f) => ({ hash: f.pdq, quality: f.quality, frameNumber: f.frameNumber, timestampSeconds: f.timestamp })),
  };
}

/** The record back from stored rows, for exports and the API. */
export function recordFromEntry(entry: HashBankEntryRow, items: BankHashItemRow[]): BankRecord {
  const common = { quality: entry.quality, source: entry.source, note: entry.note, tags: entry.tags };
  if (entry.signalType === 'pdq') return { signalType: 'pdq', hash: items[0]?.hash ?? entry.fingerprint, ...common };
  return {
    signalType: 'vpdq',
    frames: items.map((i) => ({ frameNumber: i.frameNumber ?? 0, quality: i.quality, pdq: i.hash, timestamp: i.timestampSeconds ?? 0 })),
    ...common,
  };
}
