import type { ContentEmbeddingRow, FeatureBackfillProgress, FeatureBackfillRepository, FeatureBackfillRow, TransactionManager } from '@loupe/database';
import { JobContext, PermanentJobError } from '@loupe/queue';
import type { AuditService } from '../../audit/audit.service';
import { FeatureBackfillHandler } from './feature-backfill.handler';
import type { FeatureStore } from './feature-store.service';

const BACKBONE = 'nsfwjs-mobilenetv2@4.3.0';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The backfills table and the contents that need embeddings, in memory, with the repository's semantics. */
class FakeBackfills {
  rows = new Map<string, FeatureBackfillRow>();
  /** Content ids without an embedding, in id order. */
  needing: string[] = [];
  writes: FeatureBackfillProgress[] = [];

  add(): FeatureBackfillRow {
    const row = { id: id(0), status: 'queued', backbone: BACKBONE, requestedBy: null, total: 0, done: 0, embedded: 0, skipped: 0, cursor: null, failedReason: null, startedAt: null, finishedAt: null, createdAt: new Date(), updatedAt: new Date() } as FeatureBackfillRow;
    this.rows.set(row.id, row);
    return row;
  }
  async findById(backfillId: string) {
    return this.rows.get(backfillId) && { ...this.rows.get(backfillId)! };
  }
  async countNeedingEmbedding(_backbone: string, after: string | null) {
    return this.needing.filter((c) => after === null || c > after).length;
  }
  async contentsNeedingEmbedding(_backbone: string, after: string | null, limit: number) {
    return this.needing.filter((c) => after === null || c > after).slice(0, limit);
  }
  async start(backfillId: string, left: number) {
    const row = this.rows.get(backfillId)!;
    if (!['queued', 'running'].includes(row.status)) return undefined;
    Object.assign(row, { status: 'running', total: row.done + left, startedAt: row.startedAt ?? new Date() });
    return { ...row };
  }
  async setProgress(backfillId: string, progress: FeatureBackfillProgress) {
    this.writes.push({ ...progress });
    Object.assign(this.rows.get(backfillId)!, progress);
  }
  async finish(backfillId: string, status: 'succeeded' | 'failed', failedReason: string | null = null) {
    const row = this.rows.get(backfillId)!;
    if (!['queued', 'running'].includes(row.status)) return undefined;
    Object.assign(row, { status, failedReason, finishedAt: new Date() });
    return { ...row };
  }
}

describe('FeatureBackfillHandler', () => {
  let backfills: FakeBackfills;
  let embedded: string[];
  /** Items with no model input left, and the item whose model pass fails (once). */
  let withoutInput: Set<string>;
  let failing: string | null;
  let handler: FeatureBackfillHandler;
  let percents: number[];
  const context = (attempt = 1): JobContext => ({ jobId: 'features-backfill-x', attempt, maxAttempts: 4, progress: async (p) => void percents.push(p) });

  beforeEach(() => {
    backfills = new FakeBackfills();
    embedded = [];
    withoutInput = new Set();
    failing = null;
    percents = [];
    const features = {
      backfill: async (contentId: string) => {
        if (contentId === failing) {
          failing = null;
          throw new Error('compute thread exited');
        }
        if (withoutInput.has(contentId)) return null;
        embedded.push(contentId);
        backfills.needing = backfills.needing.filter((c) => c !== contentId);
        return { contentId } as ContentEmbeddingRow;
      },
    } as unknown as FeatureStore;
    handler = new FeatureBackfillHandler(backfills as unknown as FeatureBackfillRepository, features, {} as AuditService, {} as TransactionManager);
  });

  it('embeds every item that needs it, page by page, and writes progress now and then rather than per item', async () => {
    backfills.needing = Array.from({ length: 450 }, (_, i) => id(i + 1));
    withoutInput = new Set([id(7), id(300)]);
    const { id: backfillId } = backfills.add();
    await handler.handle({ backfillId }, context());
    expect(backfills.rows.get(backfillId)).toMatchObject({ status: 'succeeded', total: 450, done: 450, embedded: 448, skipped: 2, cursor: id(450) });
    expect(embedded).toHaveLength(448);
    expect(new Set(embedded).size).toBe(448);
    // Every 50 items (or second), plus the first and the last write: nowhere near one per item.
    expect(backfills.writes.length).toBeLessThanOrEqual(12);
    expect(percents.at(-1)).toBe(100);
  });

  it('resumes after its cursor on a retry, with counts that still add up', async () => {
    backfills.needing = Array.from({ length: 120 }, (_, i) => id(i + 1));
    failing = id(75);
    const { id: backfillId } = backfills.add();
    await expect(handler.handle({ backfillId }, context(1))).rejects.toThrow(`Content ${id(75)}: compute thread exited`);
    expect(backfills.rows.get(backfillId)).toMatchObject({ status: 'running', done: 74, cursor: id(74) });

    await handler.handle({ backfillId }, context(2));
    expect(backfills.rows.get(backfillId)).toMatchObject({ status: 'succeeded', total: 120, done: 120, embedded: 120, skipped: 0 });
    expect(embedded).toHaveLength(120);
    expect(new Set(embedded).size).toBe(120);
  });

  it('succeeds at once with nothing to do, and does nothing for a backfill that has ended', async () => {
    const { id: backfillId } = backfills.add();
    await handler.handle({ backfillId }, context());
    expect(backfills.rows.get(backfillId)).toMatchObject({ status: 'succeeded', total: 0, done: 0 });
    expect(percents).toEqual([100, 100]);

    backfills.needing = [id(1)];
    await handler.handle({ backfillId }, context());
    expect(embedded).toEqual([]);
  });

  it('fails for good on an unknown backfill', async () => {
    await expect(handler.handle({ backfillId: id(9) }, context())).rejects.toBeInstanceOf(PermanentJobError);
  });

  it('records why a backfill failed', async () => {
    const { id: backfillId } = backfills.add();
    await backfills.start(backfillId, 0);
    await handler.onFailed({ backfillId }, new Error('Content x: out of memory'));
    expect(backfills.rows.get(backfillId)).toMatchObject({ status: 'failed', failedReason: 'Content x: out of memory' });
  });
});
