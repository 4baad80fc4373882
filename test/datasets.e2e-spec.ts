import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiClient, claim, decide, notViolating, reviewEverything, startTestApp, StoreKind, TestApp, uploadSettled, violating } from '@loupe/testing';

jest.setTimeout(240_000);

const jsonl = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/**
 * Datasets from moderators' labels: the label that stands wins, the most
 * recent labels test, gold evaluates apart, and the files under
 * DATA_DIR/datasets/<id>/ say the same as the API.
 */
describe.each<StoreKind>(['embedded', 'real'])('datasets on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let engineer: ApiClient;
  let analyst: ApiClient;
  const items: { id: string; violating: boolean }[] = [];
  let appealed: string;
  let goldContent: string;

  beforeAll(async () => {
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0' });
    service = await loupe.client('service');
    engineer = await loupe.client('ml_engineer');
    analyst = await loupe.client('analyst');
    const alice = await loupe.client('moderator', 'alice');
    const bob = await loupe.client('moderator', 'bob');
    await reviewEverything(loupe);
    // Five items labelled one by one: three violating, two not.
    for (let i = 0; i < 5; i++) {
      const item = await uploadSettled(service, 300 + i, { caption: `Item ${i} #Tag${i}`, language: 'en' });
      const task = await claim(alice);
      expect(task.content.id).toBe(item.id);
      await decide(alice, task.id, i < 3 ? violating() : notViolating());
      items.push({ id: item.id, violating: i < 3 });
    }
    // The first removal is appealed and overturned: its appeal label replaces the original.
    appealed = items[0].id;
    expect((await service.post(`/v1/contents/${appealed}/appeals`, { json: { statement: 'art' } })).status).toBe(201);
    await decide(bob, (await claim(bob, 'appeals')).id, notViolating());
    // A gold item: it evaluates, and never trains.
    goldContent = (await uploadSettled(service, 399)).id;
    const gold = await loupe.admin.post('/v1/review/gold', { json: { contentId: goldContent, labels: violating() } });
    expect(gold.status).toBe(201);
  });
  afterAll(() => loupe?.close());

  it('snapshots the labels that stand, splits by time, keeps gold apart, and writes what the API says', async () => {
    const created = await engineer.post('/v1/datasets', { json: { name: 'first', rules: { testShare: 0.2 } } });
    expect(created.status).toBe(201);
    const dataset = created.body;
    expect(dataset).toMatchObject({
      name: 'first',
      rowCount: 6,
      rules: { testShare: 0.2, failingGold: 'exclude', weights: { single_review: 1, appeal: 2 } },
      counts: {
        rows: { train: 4, test: 1, gold: 1 },
        // The gold item's own label (provenance gold) is left out of training: gold only evaluates.
        left: { superseded: 1, failingGold: 0, gold: 1, filtered: 0 },
        byPolicy: { adult_nudity: { train: { positive: 2, negative: 2 }, test: { positive: 0, negative: 1 }, gold: { positive: 1, negative: 0 } } },
      },
      rowsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      path: path.join(loupe.dataDir, 'datasets', dataset.id),
    });

    const manifest = JSON.parse(await readFile(path.join(dataset.path, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'loupe.dataset/1', id: dataset.id, rows: 6, rows_hash: dataset.rowsHash, counts: dataset.counts, rules: dataset.rules });
    const rows = jsonl(await readFile(path.join(dataset.path, 'rows.jsonl'), 'utf8'));
    expect(rows).toHaveLength(6);
    // The most recent label (the appeal's) is the test split; it says the item does not violate.
    expect(rows.filter((r) => r.split === 'test')).toEqual([
      expect.objectContaining({ content_id: appealed, provenance: 'appeal', weight: 2, labels: [{ policy_id: 'adult_nudity', violating: false }] }),
    ]);
    expect(rows.filter((r) => r.split === 'gold')).toEqual([expect.objectContaining({ content_id: goldContent, label_id: null, provenance: 'gold' })]);
    const content = (await service.get(`/v1/contents/${items[1].id}`)).body;
    expect(rows.find((r) => r.content_id === items[1].id)).toMatchObject({
      split: 'train',
      weight: 1,
      media_sha256: content.media.sha256,
      kind: 'image',
      caption: 'Item 1 #Tag1',
      hashtags: content.hashtags,
      language: 'en',
    });

    // The rows endpoint serves the same file; reading is an analyst's right too.
    const served = await analyst.get(`/v1/datasets/${dataset.id}/rows`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('application/x-ndjson');
    expect(jsonl(served.text)).toEqual(rows);
    expect((await analyst.get(`/v1/datasets/${dataset.id}`)).body).toEqual(dataset);
    expect((await analyst.get('/v1/datasets')).body.map((d: { id: string }) => d.id)).toContain(dataset.id);

    // The same filter over the same labels: the same hash.
    const again = await engineer.post('/v1/datasets', { json: { rules: { testShare: 0.2 } } });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(dataset.id);
    expect(again.body.rowsHash).toBe(dataset.rowsHash);
    expect(again.body.name).toMatch(/^dataset-\d{12}$/);

    const audit = (await analyst.get(`/v1/audit?action=dataset.create&entityId=${dataset.id}`)).body;
    expect(audit).toEqual([expect.objectContaining({ data: expect.objectContaining({ name: 'first', rows: 6, rowsHash: dataset.rowsHash }) })]);
  });

  it('filters the label that stands: an appeal filtered out does not bring back the label it overturned', async () => {
    const single = await engineer.post('/v1/datasets', { json: { filter: { provenances: ['single_review'] }, rules: { testShare: 0 } } });
    expect(single.status).toBe(201);
    const rows = jsonl((await engineer.get(`/v1/datasets/${single.body.id}/rows`)).text);
    expect(rows.filter((r) => r.split !== 'gold').map((r) => r.content_id).sort()).toEqual(items.slice(1).map((i) => i.id).sort());
    // Filtered: the appeal's label, and the gold item's own (provenance gold).
    expect(single.body.counts.left).toMatchObject({ superseded: 1, filtered: 2 });

    // A time range that ends before the appeal: the original label stands, as it did then.
    const labels = jsonl((await engineer.get('/v1/labels/export')).text);
    const appealLabel = labels.find((l) => l.content_id === appealed && l.provenance === 'appeal');
    const before = await engineer.post('/v1/datasets', { json: { filter: { to: appealLabel.labelled_at }, rules: { testShare: 0 } } });
    const then = jsonl((await engineer.get(`/v1/datasets/${before.body.id}/rows`)).text).find((r) => r.content_id === appealed);
    expect(then).toMatchObject({ provenance: 'single_review', labels: [{ policy_id: 'adult_nudity', violating: true }] });
  });

  it('refuses bad input with a code, and leaves no dataset or file behind', async () => {
    const before = (await engineer.get('/v1/datasets')).body.length;
    const cases: [unknown, number, string][] = [
      [{ filter: { policyIds: ['no_such_policy'] } }, 400, 'dataset.unknown_policy'],
      [{ filter: { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' } }, 400, 'dataset.invalid'],
      [{ filter: { from: 'yesterday' } }, 400, 'request.invalid'],
      [{ rules: { testShare: 1.5 } }, 400, 'request.invalid'],
      [{ rules: { failingGold: 'ignore' } }, 400, 'request.invalid'],
      [{ rules: { weights: { consensus: 0 } } }, 400, 'request.invalid'],
      [{ filter: { provenances: ['hearsay'] } }, 400, 'request.invalid'],
    ];
    for (const [body, status, code] of cases) {
      const response = await engineer.post('/v1/datasets', { json: body });
      expect([JSON.stringify(body), response.status, response.body.code]).toEqual([JSON.stringify(body), status, code]);
    }
    expect((await engineer.get('/v1/datasets')).body).toHaveLength(before);
    const entries = await readdir(path.join(loupe.dataDir, 'datasets'));
    expect(entries.filter((e) => e.startsWith('.'))).toEqual([]);
    expect(entries).toHaveLength(before);

    expect((await engineer.get('/v1/datasets/00000000-0000-4000-8000-000000000000')).body.code).toBe('dataset.not_found');
    expect((await engineer.get('/v1/datasets/00000000-0000-4000-8000-000000000000/rows')).status).toBe(404);
    expect((await engineer.get('/v1/datasets/not-a-uuid')).status).toBe(400);
    // Analysts read datasets; they do not make them.
    expect((await analyst.post('/v1/datasets', { json: {} })).status).toBe(403);
  });
});
