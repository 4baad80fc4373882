import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ContentIngestService } from '@loupe/domain/content';
import { MediaStore } from '@loupe/media';
import { ApiClient, contentForm, makeImage, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(300_000);

const ROUNDS = 16;
const fields = { hashtags: [], creatorId: 'creator-1', region: 'US', language: 'en' };

/** Two uploads of the same bytes at once: the stored original is shared, and neither may take it from the other. */
describe.each(['embedded', 'real'] as const)('simultaneous uploads of the same bytes (%s)', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp(stores);
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  const settled = (id: string) =>
    waitFor(
      async () => (await service.get(`/v1/contents/${id}`)).body,
      (c) => !['received', 'processing'].includes(c.status),
      `content ${id} to settle`,
    );

  it('both succeed and both items process', async () => {
    const ids: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const image = await makeImage({ seed: 1100 + round, width: 96, height: 64 });
      const pair = await Promise.all([0, 1].map(() => service.post('/v1/contents', { form: contentForm(image) })));
      expect(pair.map((r) => r.status)).toEqual([202, 202]);
      ids.push(...pair.map((r) => r.body.id as string));
    }
    for (const id of ids) expect((await settled(id)).status).not.toBe('failed');
  });

  it('an upload that fails after storing the file never removes the file of one that succeeds', async () => {
    // The failing upload is one the database refuses (a NUL in the caption);
    // the HTTP layer refuses those earlier, so the race is run at the service.
    const ingest = loupe.get(ContentIngestService);
    const store = loupe.get(MediaStore);
    // Ingest audits its actor, whose id is an API key's (a uuid).
    const actor = { id: randomUUID(), name: 'race', role: 'service' as const };
    const kept: { id: string; mediaPath: string }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const image = await makeImage({ seed: 1200 + round, width: 96, height: 64 });
      const [failing, succeeding] = await Promise.all([store.stage(Readable.from([image])), store.stage(Readable.from([image]))]);
      const [failed, stored] = await Promise.allSettled([
        ingest.ingest(failing, { ...fields, caption: 'bad \u0000 caption' }, actor),
        // Staggered by a few milliseconds per round, so the rounds cover the orders in which the two can interleave.
        new Promise((resolve) => setTimeout(resolve, round % 8)).then(() => ingest.ingest(succeeding, fields, actor)),
      ]);
      expect(failed.status).toBe('rejected');
      expect(stored.status).toBe('fulfilled');
      const row = (stored as PromiseFulfilledResult<{ id: string; mediaPath: string }>).value;
      kept.push(row);
      expect(existsSync(store.resolve(row.mediaPath))).toBe(true);
    }
    for (const { id, mediaPath } of kept) {
      expect(existsSync(store.resolve(mediaPath))).toBe(true);
      expect((await settled(id)).status).not.toBe('failed');
    }
  });
});
