import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import {
  AuditEventRow,
  BankHashItemRow,
  BankIndexRepository,
  BankRepository,
  BankWithCounts,
  HashBankEntryRow,
  HashBankInsert,
  HashBankRow,
  PolicyRepository,
  TransactionManager,
} from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import { newEntryFromRecord } from './bank-file/bank-entry';
import type { BankRecord } from './bank-file/bank-record';
import { MatchIndexService } from './match-index.service';
import type { Principal } from '@loupe/vocabulary';

export type BankInput = Omit<HashBankInsert, 'createdBy'>;

export interface EntryDetail {
  entry: HashBankEntryRow;
  items: BankHashItemRow[];
  history: AuditEventRow[];
}

const isUniqueViolation = (error: unknown) =>
  (error as { code?: string })?.code === '23505' || (error as { cause?: { code?: string } })?.cause?.code === '23505';

/**
 * Hash banks and their entries, as HMA models them, plus what its users ask
 * for: per-bank thresholds, allow banks, per-entry disabling with a reason,
 * and quarantine of entries that moderators keep refuting. Every change is
 * audited and reaches the match index of every process through the change log.
 */
@Injectable()
export class BankService {
  constructor(
    private readonly banks: BankRepository,
    private readonly bankIndex: BankIndexRepository,
    private readonly policies: PolicyRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly index: MatchIndexService,
  ) {}

  list(): Promise<BankWithCounts[]> {
    return this.banks.list();
  }

  async get(id: string): Promise<HashBankRow> {
    const bank = await this.banks.findById(id);
    if (!bank) throw ApiError.notFound('bank.not_found', `No bank ${id}`);
    return bank;
  }

  /** A bank by id or by name, as the CLI takes it. */
  async resolve(reference: string): Promise<HashBankRow> {
    const bank = /^[0-9a-f-]{36}$/i.test(reference) ? await this.banks.findById(reference) : await this.banks.findByName(reference);
    if (!bank) throw ApiError.notFound('bank.not_found', `No bank ${reference}`);
    return bank;
  }

  async create(input: BankInput, actor: Principal | null): Promise<HashBankRow> {
    await this.checkPolicy(input.policyId);
    try {
      return await this.transactions.run(async () => {
        const bank = await this.banks.create({ ...input, createdBy: actor?.id ?? null });
        await this.audit.record(actor, 'bank.create', { type: 'bank', id: bank.id }, { ...input });
        return bank;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.conflict('bank.name_taken', `A bank named "${input.name}" exists`);
      throw error;
    }
  }

  async update(id: string, input: Partial<BankInput>, actor: Principal): Promise<HashBankRow> {
    if (input.policyId !== undefined) await this.checkPolicy(input.policyId);
    try {
      const bank = await this.transactions.run(async () => {
        const before = await this.get(id);
        const after = (await this.banks.update(id, input))!;
        await this.audit.record(actor, 'bank.update', { type: 'bank', id }, { before: pick(before, input), after: input });
        return after;
      });
      this.transactions.afterCommit(() => this.index.refreshSoon());
      return bank;
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.conflict('bank.name_taken', `A bank named "${input.name}" exists`);
      throw error;
    }
  }

  async delete(id: string, actor: Principal): Promise<void> {
    await this.transactions.run(async () => {
      const bank = await this.get(id);
      await this.bankIndex.appendChange('remove', await this.banks.itemIdsOfBank(id));
      await this.banks.delete(id);
      await this.audit.record(actor, 'bank.delete', { type: 'bank', id }, { name: bank.name });
    });
    this.transactions.afterCommit(() => this.index.refreshSoon());
  }

  /** Banks one record. The same media again returns the existing entry, with `created` false. */
  async addEntry(
    bankId: string,
    record: BankRecord,
    actor: Principal | null,
    extra: { contentId?: string | null } = {},
  ): Promise<{ entry: HashBankEntryRow; created: boolean }> {
    return this.transactions.run(async () => this.addEntryToBank(await this.get(bankId), record, actor, extra));
  }

  /** addEntry, for a caller that holds the bank's row already (and so knows it exists). */
  async addEntryToBank(
    bank: HashBankRow,
    record: BankRecord,
    actor: Principal | null,
    extra: { contentId?: string | null } = {},
  ): Promise<{ entry: HashBankEntryRow; created: boolean }> {
    const bankId = bank.id;
    const result = await this.transactions.run(async () => {
      const { created, duplicates, itemIds } = await this.banks.addEntries([newEntryFromRecord(bankId, record, { ...extra, createdBy: actor?.id })]);
      if (duplicates.length > 0) {
        const existing = await this.banks.findEntryByFingerprint(bankId, duplicates[0].entry.signalType, duplicates[0].entry.fingerprint);
        return { entry: existing!, created: false };
      }
      await this.bankIndex.appendChange('add', itemIds);
      await this.audit.record(actor, 'bank_entry.create', { type: 'bank_entry', id: created[0].id }, { bankId, source: record.source });
      return { entry: created[0], created: true };
    });
    if (result.created) this.transactions.afterCommit(() => this.index.refreshSoon());
    return result;
  }

  async listEntries(bankId: string, limit: number, beforeSeq?: number): Promise<HashBankEntryRow[]> {
    await this.get(bankId);
    return this.banks.listEntries(bankId, limit, beforeSeq);
  }

  async getEntry(bankId: string, entryId: string): Promise<EntryDetail> {
    const entry = await this.banks.findEntry(bankId, entryId);
    if (!entry) throw ApiError.notFound('bank_entry.not_found', `No entry ${entryId} in bank ${bankId}`);
    const [items, history] = await Promise.all([
      this.banks.itemsOfEntries([entryId]),
      this.audit.history({ type: 'bank_entry', id: entryId }),
    ]);
    return { entry, items, history };
  }

  async updateEntry(bankId: string, entryId: string, values: { note?: string; tags?: string[] }, actor: Principal): Promise<HashBankEntryRow> {
    return this.transactions.run(async () => {
      const { entry } = await this.getEntry(bankId, entryId);
      const updated = (await this.banks.updateEntry(entryId, values))!;
      await this.audit.record(actor, 'bank_entry.update', { type: 'bank_entry', id: entryId }, { before: pick(entry, values), after: values });
      return updated;
    });
  }

  /** Takes an entry out of matching, or puts it back, with a reason that the audit trail keeps. */
  async setEnabled(bankId: string, entryId: string, enabled: boolean, reason: string, actor: Principal): Promise<HashBankEntryRow> {
    const updated = await this.transactions.run(async () => {
      const { entry, items } = await this.getEntry(bankId, entryId);
      if (entry.enabled === enabled) return entry;
      const row = (await this.banks.updateEntry(entryId, { enabled, disabledReason: enabled ? null : reason }))!;
      if (!row.quarantinedAt) await this.bankIndex.appendChange(enabled ? 'add' : 'remove', items.map((i) => i.id));
      await this.audit.record(actor, enabled ? 'bank_entry.enable' : 'bank_entry.disable', { type: 'bank_entry', id: entryId }, { reason });
      return row;
    });
    this.transactions.afterCommit(() => this.index.refreshSoon());
    return updated;
  }

  /** Disables every entry banked from this content item (its removal was overturned). */
  async disableEntriesOfContent(contentId: string, reason: string): Promise<void> {
    for (const entry of await this.banks.entriesOfContent(contentId)) {
      if (!entry.enabled) continue;
      const items = await this.banks.itemsOfEntries([entry.id]);
      await this.banks.updateEntry(entry.id, { enabled: false, disabledReason: reason });
      if (!entry.quarantinedAt) await this.bankIndex.appendChange('remove', items.map((i) => i.id));
      await this.audit.record(null, 'bank_entry.disable', { type: 'bank_entry', id: entry.id }, { reason });
    }
    this.transactions.afterCommit(() => this.index.refreshSoon());
  }

  /** Lifts a quarantine: the entry matches again, and its feedback counts start afresh. */
  async release(bankId: string, entryId: string, reason: string, actor: Principal): Promise<HashBankEntryRow> {
    const updated = await this.transactions.run(async () => {
      const { entry, items } = await this.getEntry(bankId, entryId);
      if (!entry.quarantinedAt) throw ApiError.conflict('bank_entry.not_quarantined', 'This entry is not quarantined');
      const row = (await this.banks.updateEntry(entryId, { quarantinedAt: null }))!;
      await this.banks.resetFeedback(entryId);
      if (row.enabled) await this.bankIndex.appendChange('add', items.map((i) => i.id));
      await this.audit.record(actor, 'bank_entry.release', { type: 'bank_entry', id: entryId }, { reason });
      return row;
    });
    this.transactions.afterCommit(() => this.index.refreshSoon());
    return updated;
  }

  /**
   * Counts a moderator's verdict on content that matched the entry, and
   * quarantines the entry once refutations reach the bank's rate: a shared
   * list's false positive stops removing content without anyone watching.
   */
  async recordFeedback(entryId: string, verdict: 'confirmed' | 'refuted'): Promise<HashBankEntryRow | undefined> {
    return this.transactions.run(async () => {
      const entry = await this.banks.recordFeedback(entryId, verdict);
      if (!entry || entry.quarantinedAt) return entry;
      const bank = (await this.banks.findById(entry.bankId))!;
      const feedback = entry.confirmedCount + entry.refutedCount;
      if (feedback < bank.quarantineMinFeedback || entry.refutedCount / feedback < bank.quarantineRefuteRate) return entry;
      const quarantined = (await this.banks.updateEntry(entryId, { quarantinedAt: new Date() }))!;
      const items = await this.banks.itemsOfEntries([entryId]);
      if (entry.enabled) await this.bankIndex.appendChange('remove', items.map((i) => i.id));
      await this.audit.record(null, 'bank_entry.quarantine', { type: 'bank_entry', id: entryId }, {
        confirmed: entry.confirmedCount,
        refuted: entry.refutedCount,
        rate: bank.quarantineRefuteRate,
      });
      this.transactions.afterCommit(() => this.index.refreshSoon());
      return quarantined;
    });
  }

  private async checkPolicy(policyId: string | null | undefined): Promise<void> {
    if (policyId && !(await this.policies.findById(policyId))) {
      throw ApiError.badRequest('bank.unknown_policy', `No policy ${policyId} in the catalog`);
    }
  }
}

function pick<T extends object>(row: T, keys: object): Partial<T> {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, (row as Record<string, unknown>)[k]])) as Partial<T>;
}
