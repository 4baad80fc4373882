import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { ContentEmbeddingRepository, ContentRepository, MIGRATIONS_FOLDER } from '@loupe/database';
import { ContentScorer } from '@loupe/domain/content/content-scorer.service';
import { JobDispatcher } from '@loupe/queue';
import { ApiClient, createTestDatabase, makeVideo, startTestApp, TestApp, uploadSettled, uploadVideoSettled } from '@loupe/testing';

jest.setTimeout(180_000);

describe.each(['embedded', 'real'] as const)('a retried classify job (%s)', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp(stores);
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  it('stores the scores of one scoring once', async () => {
    const { id } = await uploadSettled(service, 901);
    const before = (await service.get(`/v1/contents/${id}`)).body;
    expect(before.scores).toHaveLength(1);
    // What a driver does when the job's first run committed but was not acknowledged (a crash, a lost lock).
    await loupe.get(JobDispatcher).run('content.classify', { contentId: id }, { jobId: `classify-${id}`, attempt: 2, maxAttempts: 3, progress: async () => undefined });
    const after = (await service.get(`/v1/contents/${id}`)).body;
    expect(after.scores).toEqual(before.scores);
    expect(after.status).toBe(before.status);
    // The embedding from the same pass, stored once too: an image has only its own vector.
    const embeddings = await loupe.get(ContentEmbeddingRepository).findByContent(id);
    expect(embeddings).toHaveLength(1);
    expect(embeddings[0]).toMatchObject({ frameIndex: null, backbone: `${before.scores[0].modelId}@${before.scores[0].modelVersion}` });
    expect([embeddings[0].pooled.length, embeddings[0].dense.length]).toEqual([1280, 256]);
    expect(embeddings[0].pooled.some((v) => v > 0)).toBe(true);
  });

  it("stores a video's embedding per sampled frame, and the item's as their mean", async () => {
    const { id } = await uploadVideoSettled(service, await makeVideo({ seconds: 3, seed: 4, size: '160x120' }));
    const [item, ...frames] = await loupe.get(ContentEmbeddingRepository).findByContent(id);
    expect(item.frameIndex).toBeNull();
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.map((f) => f.frameIndex)).toEqual(frames.map((_, i) => i));
    for (let i = 0; i < 1280; i += 97) {
      const mean = frames.reduce((sum, f) => sum + f.pooled[i], 0) / frames.length;
      expect(item.pooled[i]).toBeCloseTo(mean, 4);
    }

    // The frames were scored while the media job decoded them, and the classify job used those scores:
    // the same as scoring the stored frames afterwards, as a re-check does.
    const metrics = await loupe.admin.get('/metrics');
    expect(metrics.text).toMatch(/^loupe_video_scores_ahead_total\{outcome="used"\} 1$/m);
    expect(metrics.text).not.toMatch(/^loupe_video_scores_ahead_total\{outcome="(scored_again|dropped)"\}/m);
    const stored = (await service.get(`/v1/contents/${id}`)).body.scores[0];
    const again = await loupe.get(ContentScorer).score((await loupe.get(ContentRepository).findById(id))!);
    expect(again.embeddings).toHaveLength(frames.length);
    for (const [name, value] of Object.entries(again.rows[0].outputs)) expect(stored.outputs[name]).toBeCloseTo(value, 6);
    again.embeddings.forEach((frame, i) => {
      for (let j = 0; j < 1280; j += 97) expect(frames[i].pooled[j]).toBeCloseTo(frame.pooled[j], 6);
    });
  });
});

describe('the model_scores migration', () => {
  const statements = async (file: string) =>
    (await readFile(path.join(MIGRATIONS_FOLDER, file), 'utf8')).split('--> statement-breakpoint').filter((s) => s.trim() !== '');

  it('deletes duplicate scorings, keeping the first, before it adds the unique key', async () => {
    const journal = JSON.parse(await readFile(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const tags = journal.entries.map((e) => e.tag);
    const mine = tags.findIndex((t) => t.endsWith('_idempotency'));
    expect(mine).toBeGreaterThan(0);
    const database = await createTestDatabase();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const tag of tags.slice(0, mine)) for (const statement of await statements(`${tag}.sql`)) await client.query(statement);
      const content = await client.query<{ id: string }>(
        `insert into contents (kind, media_sha256, media_path, media_format, media_bytes, creator_id, region, language)
         values ('image', 'ab', 'originals/ab', 'png', 1, 'c', 'US', 'en') returning id`,
      );
      const contentId = content.rows[0].id;
      const score = (version: string, at: string) =>
        client.query(
          `insert into model_scores (content_id, model_id, model_version, backend, outputs, policy_scores, created_at)
           values ($1, 'nsfwjs', $2, 'wasm', '{}', $3, $4)`,
          [contentId, version, JSON.stringify({ adult_nudity: Number(at.slice(-2, -1)) / 10 }), at],
        );
      await score('1', '2026-01-01T00:00:01Z');
      await score('1', '2026-01-01T00:00:02Z');
      await score('1', '2026-01-01T00:00:03Z');
      await score('2', '2026-01-01T00:00:04Z');
      for (const tag of tags.slice(mine, mine + 1)) for (const statement of await statements(`${tag}.sql`)) await client.query(statement);
      const left = await client.query(`select model_version, policy_scores from model_scores order by model_version`);
      expect(left.rows).toEqual([
        { model_version: '1', policy_scores: { adult_nudity: 0.1 } },
        { model_version: '2', policy_scores: { adult_nudity: 0.4 } },
      ]);
      await expect(score('1', '2026-01-01T00:00:05Z')).rejects.toMatchObject({ code: '23505' });
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
