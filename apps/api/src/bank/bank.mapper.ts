import type { BankImportRow, BankWithCounts, HashBankEntryRow, HashBankRow } from '@loupe/domain/matching';
import { DEFAULT_IMPORT_QUALITY, EntryDetail, BankRecord } from '@loupe/domain/matching';
import { BankEntryCreateDto, BankEntryDetailDto, BankEntryDto } from './bank-entry.dto';
import { BankImportDto } from './bank-import.dto';
import { BankDto } from './bank.dto';

export function toBankDto(bank: HashBankRow | BankWithCounts): BankDto {
  return {
    id: bank.id,
    name: bank.name,
    description: bank.description,
    kind: bank.kind,
    policyId: bank.policyId,
    action: bank.action,
    enabledRatio: bank.enabledRatio,
    pdqDistance: bank.pdqDistance,
    vpdqQueryPercent: bank.vpdqQueryPercent,
    vpdqComparedPercent: bank.vpdqComparedPercent,
    quarantineRefuteRate: bank.quarantineRefuteRate,
    quarantineMinFeedback: bank.quarantineMinFeedback,
    ...('entryCount' in bank ? { entryCount: bank.entryCount, activeEntryCount: bank.activeEntryCount } : {}),
    createdAt: bank.createdAt,
    updatedAt: bank.updatedAt,
  };
}

export function toBankEntryDto(entry: HashBankEntryRow): BankEntryDto {
  return {
    id: entry.id,
    bankId: entry.bankId,
    seq: entry.seq,
    signalType: entry.signalType,
    ...(entry.signalType === 'pdq' ? { hash: entry.fingerprint } : {}),
    frameCount: entry.frameCount,
    quality: entry.quality,
    source: entry.source,
    contentId: entry.contentId,
    note: entry.note,
    tags: entry.tags,
    enabled: entry.enabled,
    disabledReason: entry.disabledReason,
    quarantined: entry.quarantinedAt !== null,
    quarantinedAt: entry.quarantinedAt,
    feedback: { confirmed: entry.confirmedCount, refuted: entry.refutedCount },
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

export function toBankEntryDetailDto({ entry, items, history }: EntryDetail): BankEntryDetailDto {
  return {
    ...toBankEntryDto(entry),
    ...(entry.signalType === 'vpdq'
      ? { frames: items.map((i) => ({ frameNumber: i.frameNumber ?? 0, timestamp: i.timestampSeconds ?? 0, quality: i.quality, pdq: i.hash })) }
      : {}),
    history: history.map((h) => ({ action: h.action, actorId: h.actorId, actorRole: h.actorRole, data: h.data, at: h.createdAt })),
  };
}

export function toBankImportDto(row: BankImportRow): BankImportDto {
  return {
    id: row.id,
    bankId: row.bankId,
    format: row.format,
    status: row.status,
    linesRead: row.linesRead,
    imported: row.imported,
    duplicates: row.duplicates,
    failed: row.failed,
    errors: row.errors,
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

/** An entry from the API as a bank record; PDQ quality defaults to trusted, vPDQ to its best frame. */
export function toBankRecord(dto: BankEntryCreateDto): BankRecord {
  const common = { source: dto.source ?? 'manual', note: dto.note ?? '', tags: dto.tags ?? [] };
  if (dto.signalType === 'pdq') {
    return { signalType: 'pdq', hash: dto.hash!.toLowerCase(), quality: dto.quality ?? DEFAULT_IMPORT_QUALITY, ...common };
  }
  const frames = dto.frames!.map((f) => ({ ...f, pdq: f.pdq.toLowerCase() }));
  return { signalType: 'vpdq', frames, quality: dto.quality ?? Math.max(...frames.map((f) => f.quality)), ...common };
}
