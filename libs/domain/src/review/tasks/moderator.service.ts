import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ApiKeyRepository, ModeratorProfileRow, ModeratorRepository, TransactionManager } from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import { GoldStanding } from '../gold/gold-standing.service';
import type { Principal } from '@loupe/vocabulary';

export interface ModeratorView {
  id: string;
  name: string;
  team: string;
  senior: boolean;
  revoked: boolean;
}

/** Who moderates: their team and seniority (senior moderators settle escalations and disagreements). */
@Injectable()
export class ModeratorService {
  constructor(
    private readonly moderators: ModeratorRepository,
    private readonly keys: ApiKeyRepository,
    private readonly gold: GoldStanding,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  list(): Promise<ModeratorView[]> {
    return this.moderators.listModerators();
  }

  async update(id: string, values: { team?: string; senior?: boolean }, actor: Principal): Promise<ModeratorProfileRow> {
    const key = (await this.keys.list()).find((k) => k.id === id);
    if (!key || key.role !== 'moderator') throw ApiError.notFound('moderator.not_found', `No moderator key ${id}`);
    return this.transactions.run(async () => {
      const row = await this.moderators.upsertProfile(id, values);
      await this.audit.record(actor, 'moderator.update', { type: 'moderator', id }, { ...values });
      return row;
    });
  }

  /** Gold accuracy and whether the moderator is passing now. */
  async goldStatus(id: string): Promise<{ answered: number; correct: number; passing: boolean | null }> {
    const results = await this.moderators.recentGoldResults(id, 1000);
    return { answered: results.length, correct: results.filter(Boolean).length, passing: await this.gold.passing(id) };
  }
}
