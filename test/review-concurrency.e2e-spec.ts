import { existsSync } from 'node:fs';
import path from 'node:path';
import { API_ENTRY, contentForm, exportLabels, makeImage, notViolating, ROOT, startProductionStack, violating, waitFor } from '@loupe/testing';

jest.setTimeout(600_000);

const MODERATORS = 50;
const ITEMS = 120;
/** One claim in this many is skipped rather than decided, so that tasks also travel between moderators. */
const SKIP_EVERY = 6;

interface Claim {
  taskId: string;
  contentId: string;
  moderator: number;
  ended: 'decided' | 'skipped';
}

/**
 * 50 moderators work one queue at once through two api processes, over
 * PostgreSQL and Redis, with a worker processing uploads. Every decision is
 * sent twice at once, through both processes, as a client retrying would.
 */
describe('50 concurrent moderators against two api processes', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, API_ENTRY))) throw new Error('Build first: npm run build (npm test does it)');
  });

  it('never hands a task to two moderators, loses none, and records every decision once', async () => {
    const stack = await startProductionStack({ apis: 2, env: { CONSENSUS_UNCERTAINTY: '0' } });
    const { apis } = stack;
    try {
      const key = async (role: string, name: string) => (await apis[0].post('/v1/admin/api-keys', { json: { name, role } })).body.key as string;
      const service = apis[0].withKey(await key('service', 'platform'));
      await apis[1].withKey(await key('ml_engineer', 'ml')).put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } });

      const ids: string[] = [];
      for (let i = 0; i < ITEMS; i++) {
        const response = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 1000 + i, width: 64, height: 64 })) });
        expect(response.status).toBe(202);
        ids.push(response.body.id);
      }
      const analyst = apis[1].withKey(await key('analyst', 'analyst'));
      await waitFor(
        async () => (await analyst.get('/v1/review/queues')).body.find((q: { id: string }) => q.id === 'default').counts.open,
        (open) => open === ITEMS,
        `${ITEMS} items to reach review`,
        300_000,
      );

      const keys = await Promise.all(Array.from({ length: MODERATORS }, (_, i) => key('moderator', `moderator-${i}`)));
      const claims: Claim[] = [];
      const holders = new Map<string, number>();
      const overlaps: string[] = [];
      const failures: string[] = [];
      const decisionStatuses: number[][] = [];

      const unfinished = async () => {
        const queue = (await analyst.get('/v1/review/queues')).body.find((q: { id: string }) => q.id === 'default');
        return queue.counts.open + queue.counts.leased;
      };
      const work = async (m: number) => {
        // Each moderator alternates between the two api processes.
        const via = (n: number) => apis[(m + n) % 2].withKey(keys[m]);
        for (let n = 0; ; n++) {
          const next = await via(n).get('/v1/review/next');
          if (next.status === 204) {
            // Nothing for this moderator now; a task someone else holds may still come back (skipped).
            if ((await unfinished()) === 0) return;
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          if (next.status !== 200) {
            failures.push(`claim ${next.status} ${next.text}`);
            return;
          }
          const task = next.body;
          if (holders.has(task.id)) overlaps.push(`${task.id}: moderator ${m} while ${holders.get(task.id)} holds it`);
          holders.set(task.id, m);
          const skip = (m + n) % SKIP_EVERY === SKIP_EVERY - 1;
          if (skip) {
            holders.delete(task.id);
            const skipped = await via(n + 1).post(`/v1/review/tasks/${task.id}/skip`, { json: { reason: 'load test' } });
            if (skipped.status !== 204) failures.push(`skip ${skipped.status} ${skipped.text}`);
            claims.push({ taskId: task.id, contentId: task.content.id, moderator: m, ended: 'skipped' });
            continue;
          }
          const labels = task.content.id.charCodeAt(0) % 2 === 0 ? violating() : notViolating();
          holders.delete(task.id);
          const both = await Promise.all(apis.map((api) => api.withKey(keys[m]).post(`/v1/review/tasks/${task.id}/decision`, { json: { labels } })));
          decisionStatuses.push(both.map((r) => r.status).sort());
          claims.push({ taskId: task.id, contentId: task.content.id, moderator: m, ended: 'decided' });
        }
      };
      await Promise.all(Array.from({ length: MODERATORS }, (_, m) => work(m)));

      expect(failures).toEqual([]);
      expect(overlaps).toEqual([]);
      // Every retried decision: one created, one returned as already recorded.
      expect(decisionStatuses.filter((s) => s[0] !== 200 || s[1] !== 201)).toEqual([]);
      const decided = claims.filter((c) => c.ended === 'decided');
      expect(decided).toHaveLength(ITEMS);
      expect(new Set(decided.map((c) => c.contentId))).toEqual(new Set(ids));
      // A skipped task went to someone else, never back to the moderator who skipped it.
      for (const skip of claims.filter((c) => c.ended === 'skipped')) {
        expect(claims.filter((c) => c.taskId === skip.taskId && c.moderator === skip.moderator)).toHaveLength(1);
      }

      const labels = await exportLabels(analyst.withKey(await key('analyst', 'analyst-2')));
      expect(labels).toHaveLength(ITEMS);
      expect(new Set(labels.map((l) => l.content_id)).size).toBe(ITEMS);
      const statuses = await Promise.all(ids.map(async (id) => (await service.get(`/v1/contents/${id}`)).body.status));
      expect(statuses.filter((s) => s !== 'allowed' && s !== 'removed')).toEqual([]);
      const audit = (await analyst.get('/v1/audit?action=review.decide&limit=1000')).body;
      expect(audit).toHaveLength(ITEMS);
      expect((await analyst.get('/v1/audit?action=review.claim&limit=1000')).body).toHaveLength(claims.length);
    } catch (error) {
      for (const p of stack.processes) console.log(p.output().slice(-4000));
      throw error;
    } finally {
      await stack.stop();
    }
  });
});
