import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LabelExportRow, LabelFilter, TrainingLabelRepository } from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import type { Principal } from '@loupe/vocabulary';

const PAGE = 1000;

/**
 * One training example as a JSON line: what Loupe's retraining and any
 * outside pipeline read. It names the media by its sha256 and carries the
 * text, so that it can train a model without the database; `superseded_by`
 * marks a label that a later one of the same content replaced.
 */
export function labelRecord(row: LabelExportRow): Record<string, unknown> {
  return {
    id: row.id,
    content_id: row.contentId,
    superseded_by: row.supersededBy,
    media_sha256: row.mediaSha256,
    media_format: row.mediaFormat,
    kind: row.kind,
    caption: row.caption,
    hashtags: row.hashtags,
    language: row.language,
    region: row.region,
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

/** The filter as the audit log keeps it: only what was set, times as ISO strings. */
function describeFilter(filter: LabelFilter): Record<string, string> {
  const described: Record<string, string> = {};
  if (filter.from) described.from = filter.from.toISOString();
  if (filter.to) described.to = filter.to.toISOString();
  if (filter.policyId) described.policyId = filter.policyId;
  if (filter.provenance) described.provenance = filter.provenance;
  return described;
}

/**
 * Streams training labels as JSONL, a page at a time, filtered by time, policy
 * and provenance. Every export is audited (`labels.export`): who, the filter,
 * and how many rows went out, which is only known when the stream ends.
 */
@Injectable()
export class LabelExportService {
  constructor(
    private readonly labels: TrainingLabelRepository,
    private readonly audit: AuditService,
  ) {}

  count(filter: LabelFilter): Promise<number> {
    return this.labels.count(filter);
  }

  /**
   * @param actor the caller; null for the command line, which runs with the database's own access
   * @param onProgress rows handed out so far, after each page
   */
  async *lines(filter: LabelFilter, actor: Principal | null, onProgress?: (count: number) => void): AsyncGenerator<string> {
    let after: { labelledAt: Date; id: string } | undefined;
    let rows = 0;
    let completed = false;
    try {
      for (;;) {
        const page = await this.labels.page(filter, PAGE, after);
        if (page.length === 0) break;
        // Counted before the yield: once it returns, the consumer holds the page.
        rows += page.length;
        yield page.map((row) => `${JSON.stringify(labelRecord(row))}\n`).join('');
        onProgress?.(rows);
        const last = page[page.length - 1];
        after = { labelledAt: last.labelledAt, id: last.id };
      }
      completed = true;
    } finally {
      // Also when the client went away or a page failed: `completed` tells them apart, and
      // `rows` is what left before that.
      await this.audit.record(actor, 'labels.export', { type: 'label_export', id: randomUUID() }, { filter: describeFilter(filter), rows, completed });
    }
  }
}
