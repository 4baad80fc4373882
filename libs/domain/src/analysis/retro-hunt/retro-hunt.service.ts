import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { BankRepository, ModelRegistryRepository, RetroHuntFindingRow, RetroHuntRepository, RetroHuntRow } from '@loupe/database';
import { JobQueue } from '@loupe/queue';

export type RetroHuntRequest = { bankId: string; modelName?: undefined } | { modelName: string; bankId?: undefined };

export interface RetroHuntReport {
  hunt: RetroHuntRow;
  findings: RetroHuntFindingRow[];
  /** What was caught, per bank entry or model version: the catches credited to each. */
  catches: Array<{ bankEntryId: string | null; modelVersion: string | null; items: number }>;
}

/**
 * Retro-hunts: when a bank gains entries or a model is promoted, the
 * allowed content of the last RETRO_HUNT_DAYS is looked at again in the
 * background (job `analysis.retro-hunt`), and what it finds is actioned or
 * reviewed as new content would be. Started by hand here, or by the sweep
 * (AnalysisSweepService) when either happens.
 */
@Injectable()
export class RetroHuntService {
  constructor(
    private readonly hunts: RetroHuntRepository,
    private readonly banks: BankRepository,
    private readonly registry: ModelRegistryRepository,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
  ) {}

  /**
   * A bank hunt looks for the entries added since the bank's last hunt
   * (`since`; all of them when it never had one). A queued hunt of the same
   * bank takes the new entries too, rather than a second hunt starting.
   */
  async start(request: RetroHuntRequest, actorId: string | null, since?: Date | null): Promise<RetroHuntRow> {
    let hunt: RetroHuntRow;
    if (request.bankId !== undefined) {
      if (!(await this.banks.findById(request.bankId))) throw ApiError.notFound('bank.not_found', `No bank ${request.bankId}`);
      const queued = await this.hunts.findQueuedForBank(request.bankId);
      if (queued) return queued;
      hunt = await this.hunts.create({ trigger: 'bank', bankId: request.bankId, entriesSince: since ?? null, windowDays: this.config.analysis.retroHuntDays, requestedBy: actorId });
    } else {
      const champion = (await this.registry.aliases(request.modelName)).find((a) => a.alias === 'champion');
      if (!champion) throw ApiError.notFound('model.no_champion', `${request.modelName} has no champion to hunt with`);
      hunt = await this.hunts.create({ trigger: 'model', modelVersionId: champion.versionId, windowDays: this.config.analysis.retroHuntDays, requestedBy: actorId });
    }
    await this.jobs.enqueue('analysis.retro-hunt', { huntId: hunt.id });
    return hunt;
  }

  async list(): Promise<RetroHuntRow[]> {
    return this.hunts.list(100);
  }

  async report(id: string): Promise<RetroHuntReport> {
    const hunt = await this.hunts.findById(id);
    if (!hunt) throw ApiError.notFound('retro_hunt.not_found', `No retro-hunt ${id}`);
    const findings = await this.hunts.findings([id]);
    const catches = new Map<string, { bankEntryId: string | null; modelVersion: string | null; items: number }>();
    for (const f of findings) {
      const key = `${f.bankEntryId ?? ''}|${f.modelVersion ?? ''}`;
      const entry = catches.get(key) ?? { bankEntryId: f.bankEntryId, modelVersion: f.modelVersion, items: 0 };
      entry.items += 1;
      catches.set(key, entry);
    }
    return { hunt, findings, catches: [...catches.values()] };
  }
}
