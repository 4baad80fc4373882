import { existsSync } from 'node:fs';
import path from 'node:path';
import { API_ENTRY, ApiClient, contentForm, makeSymbolImage, ROOT, startProductionStack, waitFor } from '@loupe/testing';

jest.setTimeout(600_000);

/**
 * Promotion and rollback across processes: made through one api process,
 * served by the worker within seconds, without a restart.
 */
describe('model rollout across processes (PostgreSQL and Redis)', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, API_ENTRY))) throw new Error('Build first: npm run build (npm test does it)');
  });

  it('serves a promotion and a rollback made through one api process in the worker within seconds', async () => {
    const stack = await startProductionStack({ apis: 2, env: { CONSENSUS_UNCERTAINTY: '0', MODEL_POLL_MS: '1000' } });
    const [one, two] = stack.apis;
    try {
      const key = async (role: string) => (await one.post('/v1/admin/api-keys', { json: { name: role, role } })).body.key as string;
      const service = one.withKey(await key('service'));
      const engineer = two.withKey(await key('ml_engineer'));
      const moderator = one.withKey(await key('moderator'));
      const settled = (client: ApiClient, id: string) =>
        waitFor(async () => (await client.get(`/v1/contents/${id}`)).body, (c) => !['received', 'processing'].includes(c.status), `content ${id}`, 120_000);

      // A few labels, enough for a head at one label of each class.
      expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } })).status).toBe(200);
      const truth = new Map<string, boolean>();
      for (let i = 0; i < 8; i++) {
        const kind = i % 2 ? 'symbol' : 'plain';
        const id = (await service.post('/v1/contents', { form: contentForm(await makeSymbolImage({ seed: 3000 + i, kind })) })).body.id;
        truth.set(id, kind === 'symbol');
        await settled(service, id);
      }
      for (let next = await moderator.get('/v1/review/next'); next.status === 200; next = await moderator.get('/v1/review/next')) {
        const labels = [{ policyId: 'hate_symbols', violating: truth.get(next.body.content.id) ?? false }];
        expect((await moderator.post(`/v1/review/tasks/${next.body.id}/decision`, { json: { labels } })).status).toBe(201);
      }
      expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.6, remove: 0.95 } })).status).toBe(200);

      const train = async (seed: number) => {
        const started = await engineer.post('/v1/training-runs', { json: { params: { minLabelsPerClass: 1, seed } } });
        expect(started.status).toBe(202);
        const run = await waitFor(async () => (await two.get(`/v1/training-runs/${started.body.id}`)).body, (r) => !['queued', 'running'].includes(r.status), 'training', 180_000);
        expect(run).toMatchObject({ status: 'succeeded' });
      };
      await train(1);
      await train(2);
      const admin = two;
      const override = { override: { reason: 'two labels per class cannot pass a gate; this test is about rollout' } };
      expect((await admin.post('/v1/models/policy-heads/promote', { json: { version: 1, ...override } })).status).toBe(200);
      expect((await admin.post('/v1/models/policy-heads/promote', { json: { version: 2, ...override } })).status).toBe(200);

      const servedBy = async () => {
        const id = (await service.post('/v1/contents', { form: contentForm(await makeSymbolImage({ seed: 4000 + Math.floor(Math.random() * 1e6), kind: 'plain' })) })).body.id;
        const item = await settled(two, id);
        return item.scores.find((s: { modelId: string }) => s.modelId === 'policy-heads')?.modelVersion;
      };
      expect(await waitFor(servedBy, (v) => v === '2', 'the worker to serve version 2', 30_000)).toBe('2');

      // Rolled back through the other api process: the worker serves version 1 again, without a restart.
      const rolledBack = await one.post('/v1/models/policy-heads/rollback', { json: {} });
      expect(rolledBack.body.policies).toEqual([expect.objectContaining({ policyId: 'hate_symbols', version: 1 })]);
      // Within seconds (the poll is MODEL_POLL_MS: 1 s here, 2 s by default); the wait gives up at 30 s.
      expect(await waitFor(servedBy, (v) => v === '1', 'the worker to serve version 1', 30_000)).toBe('1');
    } catch (error) {
      for (const p of stack.processes) console.log(p.output().slice(-3000));
      throw error;
    } finally {
      await stack.stop();
    }
  });
});
