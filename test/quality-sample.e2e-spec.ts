import { ApiClient, claim, decide, isolatedQueue, notViolating, startTestApp, StoreKind, TestApp, uploadSettled } from '@loupe/testing';

jest.setTimeout(240_000);

/**
 * The quality sample: a share REVIEW_SAMPLE_RATE of what the model allows
 * also goes to a moderator, the item staying allowed, so that Loupe learns
 * what the model misses and training gets its "not violating" labels. Each
 * server's model allows everything (its thresholds at 1), and its items go
 * to a queue of their own by region.
 */
describe.each<StoreKind>(['embedded', 'real'])('the quality sample on %s stores', (stores) => {
  /** Nothing reaches a threshold of 1: the model allows every item. */
  const allowEverything = async (loupe: TestApp) => {
    const engineer = await loupe.client('ml_engineer');
    const changed = await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 1, remove: 1 } });
    expect(changed.status).toBe(200);
  };

  describe('at REVIEW_SAMPLE_RATE=1', () => {
    let loupe: TestApp;
    let service: ApiClient;
    let alice: ApiClient;
    let catalog: string[];

    beforeAll(async () => {
      loupe = await startTestApp(stores, { REVIEW_SAMPLE_RATE: '1' });
      service = await loupe.client('service');
      alice = await loupe.client('moderator', 'alice');
      await allowEverything(loupe);
      await isolatedQueue(loupe, 'sample-nz', 'NZ');
      catalog = ((await service.get('/v1/policies')).body as { id: string }[]).map((p) => p.id).sort();
      expect(catalog.length).toBeGreaterThan(1);
    });
    afterAll(() => loupe?.close());

    it('sends an allowed item to review about every policy, last in line, and a moderator clearing it gives "not violating" labels', async () => {
      const sampled = await uploadSettled(service, 701, { region: 'NZ' });
      expect(sampled.status).toBe('allowed');
      // A later item that a user reports: its sample case becomes the report's, and goes first.
      const reported = await uploadSettled(service, 702, { region: 'NZ' });
      expect(reported.status).toBe('allowed');
      const report = await service.post(`/v1/contents/${reported.id}/reports`, { json: { policyId: 'harassment', reason: 'names a classmate' } });
      expect(report.status).toBe(201);
      expect(report.body).toMatchObject({ merged: true, caseId: expect.any(String) });

      const first = await claim(alice, 'sample-nz');
      expect(first).toMatchObject({ source: 'report', reportsCount: 1, content: { id: reported.id } });
      expect(first.priority).toBeGreaterThan(0);
      await decide(alice, first.id, notViolating('harassment'));

      const task = await claim(alice, 'sample-nz');
      expect(task).toMatchObject({ source: 'sample', severity: 'low', priority: 0, content: { id: sampled.id } });
      expect([...task.policyIds].sort()).toEqual(catalog);
      expect(await claim(alice, 'sample-nz')).toBeNull();

      // One label given; every other policy asked reads as not violating.
      await decide(alice, task.id, notViolating('adult_nudity'));
      const item = (await service.get(`/v1/contents/${sampled.id}`)).body;
      expect(item.status).toBe('allowed');
      expect(item.history[0]).toMatchObject({ outcome: 'allowed', source: 'human' });
      expect(item.labels).toHaveLength(1);
      expect(item.labels[0]).toMatchObject({ outcome: 'allowed', provenance: 'single_review' });
      const labels = item.labels[0].labels as { policyId: string; violating: boolean }[];
      expect(labels.map((l) => l.policyId).sort()).toEqual(catalog);
      expect(labels.every((l) => l.violating === false)).toBe(true);

      // The report's case asked about every policy too, but only a sample reads what was left out as not violating.
      const reportedItem = (await service.get(`/v1/contents/${reported.id}`)).body;
      expect(reportedItem.labels[0].labels).toEqual([{ policyId: 'harassment', violating: false }]);
    });

    it('removes a sampled item a moderator finds violating', async () => {
      const sampled = await uploadSettled(service, 703, { region: 'NZ' });
      expect(sampled.status).toBe('allowed');
      const task = await claim(alice, 'sample-nz');
      expect(task).toMatchObject({ source: 'sample', content: { id: sampled.id } });
      await decide(alice, task.id, [{ policyId: 'adult_nudity', violating: true }]);
      const item = (await service.get(`/v1/contents/${sampled.id}`)).body;
      expect(item.status).toBe('removed');
      const labels = item.labels[0].labels as { policyId: string; violating: boolean }[];
      expect(labels.filter((l) => l.violating).map((l) => l.policyId)).toEqual(['adult_nudity']);
      expect(labels).toHaveLength(catalog.length);
    });
  });

  describe('at REVIEW_SAMPLE_RATE=0', () => {
    let loupe: TestApp;

    beforeAll(async () => {
      loupe = await startTestApp(stores, { REVIEW_SAMPLE_RATE: '0' });
      await allowEverything(loupe);
      await isolatedQueue(loupe, 'sample-nz', 'NZ');
    });
    afterAll(() => loupe?.close());

    it('opens no case for an allowed item', async () => {
      const service = await loupe.client('service');
      const alice = await loupe.client('moderator', 'alice');
      const item = await uploadSettled(service, 704, { region: 'NZ' });
      expect(item.status).toBe('allowed');
      expect(await claim(alice)).toBeNull();
      expect((await service.get(`/v1/contents/${item.id}`)).body.labels).toEqual([]);
    });
  });
});
