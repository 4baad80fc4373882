import { ApiError } from '@loupe/common';
import type { ContentRepository, ReviewQueueRepository, TransactionManager, TrendAlertRow, TrendRepository, TrendWorkRecord, WorkCandidateRecord } from '@loupe/database';
import type { AuditService } from '../../audit/audit.service';
import type { CaseService, OpenCaseInput } from '../../review/cases/case.service';
import type { TrendWatches } from '../../content/trend-watches';
import { TrendWorkService } from './trend-work.service';

const ALERT_ID = '1a2b3c4d-0000-4000-8000-000000000000';

function setup(candidates: WorkCandidateRecord[]) {
  const at = new Date('2026-12-01T20:00:00Z');
  const alert: TrendAlertRow = {
    id: ALERT_ID, kind: 'term_burst', subject: '#burst', policyId: 'spam', status: 'open', firstSeenAt: at, lastSeenAt: at, count: 4, baseline: 0.5, lift: 8,
    evidence: { contentIds: candidates.map((c) => c.contentId) }, acknowledgedBy: null, acknowledgedAt: null, note: null, work: [], createdAt: at, updatedAt: at,
  };
  const opened: OpenCaseInput[] = [];
  const gathers: { contentIds: readonly string[]; queueId: string }[] = [];
  const queues: unknown[] = [];
  const watches = { invalidated: 0 };
  const trends = {
    findAlert: async (id: string) => (id === ALERT_ID ? alert : undefined),
    workCandidates: async () => candidates,
    addWork: async (_id: string, record: TrendWorkRecord) => {
      if (alert.work.some((w) => w.kind === record.kind)) return undefined;
      alert.work = [...alert.work, record];
      return alert;
    },
  };
  const service = new TrendWorkService(
    trends as unknown as TrendRepository,
    { findById: async (id: string) => ({ id }) } as unknown as ContentRepository,
    { upsertQueue: async (q: unknown) => void queues.push(q) } as unknown as ReviewQueueRepository,
    {
      open: async (input: OpenCaseInput) => void opened.push(input),
      // Moves every item asked about: the repository decides which cases nobody started (e2e: trend-alerts).
      gather: async (contentIds: readonly string[], queueId: string) => gathers.push({ contentIds, queueId }) && contentIds.length,
    } as unknown as CaseService,
    { record: async () => undefined } as unknown as AuditService,
    { run: <T>(work: () => Promise<T>) => work() } as unknown as TransactionManager,
    { invalidate: () => void watches.invalidated++ } as unknown as TrendWatches,
  );
  return { service, opened, gathers, queues, alert, watches };
}

const candidate = (contentId: string, over: Partial<WorkCandidateRecord> = {}): WorkCandidateRecord => ({ contentId, reported: false, removedBy: null, humanDecided: false, liveCaseQueue: null, ...over });

describe('TrendWorkService', () => {
  it('opens a case per item not yet decided or in review, in a queue of the alert’s own, under what flagged it', async () => {
    const { service, opened, gathers, queues } = setup([
      candidate('by-hash', { removedBy: 'hash' }),
      candidate('by-model', { removedBy: 'model', reported: true }),
      candidate('reported', { reported: true }),
      candidate('decided', { removedBy: 'human', humanDecided: true }),
      candidate('in-review', { reported: true, liveCaseQueue: 'default' }),
    ]);
    const result = await service.makeWork(ALERT_ID, 'review_queue', null);
    expect(result).toMatchObject({ work: { kind: 'review_queue', queueId: 'trend-1a2b3c4d', items: 3 }, alreadyInReview: 1, alreadyDecided: 1, gathered: 1 });
    // What waits in another queue is asked to move into the trend's.
    expect(gathers).toEqual([{ contentIds: ['in-review'], queueId: 'trend-1a2b3c4d' }]);
    expect(opened.map((o) => [o.content.id, o.source, o.queueId, o.policyIds])).toEqual([
      ['by-hash', 'hash', 'trend-1a2b3c4d', ['spam']],
      ['by-model', 'model', 'trend-1a2b3c4d', ['spam']],
      ['reported', 'report', 'trend-1a2b3c4d', ['spam']],
    ]);
    expect(opened[0].reason).toBe(`Trend alert ${ALERT_ID}: term burst #burst`);
    // Keyed to nothing: routing never sends other cases to it.
    expect(queues).toEqual([expect.objectContaining({ id: 'trend-1a2b3c4d', name: 'Trend: #burst' })]);
    expect(Object.keys(queues[0] as object).sort()).toEqual(['description', 'id', 'name']);
  });

  it('makes each kind of work once, and names a labelling batch as one', async () => {
    const { service, gathers } = setup([candidate('a', { removedBy: 'hash' }), candidate('b', { liveCaseQueue: 'default' })]);
    await service.makeWork(ALERT_ID, 'review_queue', null);
    await expect(service.makeWork(ALERT_ID, 'review_queue', null)).rejects.toMatchObject({ code: 'trend.work_exists' });
    const batch = await service.makeWork(ALERT_ID, 'labelling_batch', null);
    expect(batch.work.queueId).toBe('label-1a2b3c4d');
    // A batch is about labels, not urgency: it moves nothing.
    expect(batch.gathered).toBe(0);
    expect(gathers.map((g) => g.queueId)).toEqual(['trend-1a2b3c4d']);
  });

  it('answers 404 for an unknown alert', async () => {
    const { service } = setup([]);
    const error = await service.makeWork('00000000-0000-4000-8000-000000000000', 'review_queue', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'trend.alert_not_found' });
  });

  it('makes a watch on a term burst: until when, in the trend’s queue, opening nothing now but gathering what waits; once per alert', async () => {
    const { service, opened, gathers, queues, alert, watches } = setup([candidate('c1'), candidate('c2')]);
    const before = Date.now();
    const made = await service.makeWork(ALERT_ID, 'watch', null, 48);
    expect(made.work).toMatchObject({ kind: 'watch', queueId: 'trend-1a2b3c4d', items: 0 });
    // The alert's items already in review join the watch's queue.
    expect(gathers).toEqual([{ contentIds: ['c1', 'c2'], queueId: 'trend-1a2b3c4d' }]);
    expect(made.gathered).toBe(2);
    const until = Date.parse(made.work.until!);
    expect(until).toBeGreaterThanOrEqual(before + 48 * 3_600_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 48 * 3_600_000);
    expect(opened).toEqual([]);
    expect(queues).toEqual([expect.objectContaining({ id: 'trend-1a2b3c4d' })]);
    // Ingest reads the watches afresh at once in this process.
    expect(watches.invalidated).toBe(1);
    await expect(service.makeWork(ALERT_ID, 'watch', null)).rejects.toMatchObject({ code: 'trend.work_exists' });
    expect(alert.work.map((w) => w.kind)).toEqual(['watch']);
  });

  it('refuses a watch of anything but a term burst, and hours out of range', async () => {
    const { service, alert } = setup([]);
    await expect(service.makeWork(ALERT_ID, 'watch', null, 0)).rejects.toMatchObject({ code: 'request.invalid' });
    await expect(service.makeWork(ALERT_ID, 'watch', null, 10_000)).rejects.toMatchObject({ code: 'request.invalid' });
    alert.kind = 'visual_cluster';
    await expect(service.makeWork(ALERT_ID, 'watch', null)).rejects.toMatchObject({ code: 'trend.watch_kind' });
    expect(alert.work).toEqual([]);
  });
});
