import { Injectable } from '@nestjs/common';
import { LabelFilter, TrainingLabelRepository, TrainingLabelRow } from '@loupe/database';

const PAGE = 1000;

/** One training example as a JSON line: what Loupe's retraining and any outside pipeline read. */
export function labelRecord(row: TrainingLabelRow): Record<string, unknown> {
  return {
    id: row.id,
    content_id: row.contentId,
    labels: row.labels.map((l) => ({ policy_id: l.policyId, violating: l.violating, ...(l.nuance ? { nuance: l.nuance } : {}) })),
    outcome: row.outcome,
    provenance: row.provenance,
    agreement: row.agreement,
    labeller_id: row.labellerId,
    moderator_ids: row.moderatorIds,
    labeller_passing_gold: row.labellerPassingGold,
    labelled_at: row.labelledAt.toISOString(),
    model_scores: row.modelScores.map((s) => ({ model_id: s.modelId, model_version: s.modelVersion, outputs: s.outputs, policy_scores: s.policyScores })),
  };
}

/** Streams training labels as JSONL, a page at a time, filtered by time, policy and provenance. */
@Injectable()
export class LabelExportService {
  constructor(private readonly labels: TrainingLabelRepository) {}

  count(filter: LabelFilter): Promise<number> {
    return this.labels.count(filter);
  }

  async *lines(filter: LabelFilter, onProgress?: (count: number) => void): AsyncGenerator<string> {
    let after: { labelledAt: Date; id: string } | undefined;
    let count = 0;
    for (;;) {
      const page = await this.labels.page(filter, PAGE, after);
      if (page.length === 0) return;
      yield page.map((row) => `${JSON.stringify(labelRecord(row))}\n`).join('');
      count += page.length;
      onProgress?.(count);
      const last = page[page.length - 1];
      after = { labelledAt: last.labelledAt, id: last.id };
    }
  }
}
