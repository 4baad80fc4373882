import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateDsaBatch } from '@loupe/domain/analysis';
import { API_ENTRY, ApiClient, claim, CLI_ENTRY, contentForm, decide, makeImage, notViolating, ROOT, startProcess, startTestApp, StoreKind, TestApp, violating, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

/**
 * Transparency figures from a history whose every count is known: a removal
 * by the model before any view, one by a moderator after a report and 100
 * views, one by a bank match at ingest, and an appeal that reinstates one.
 */
describe.each<StoreKind>(['embedded', 'real'])('transparency on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;
  const ids: Record<'byModel' | 'byModerator' | 'byBank', string> = { byModel: '', byModerator: '', byBank: '' };
  const today = () => new Date().toISOString().slice(0, 10);

  const settled = (id: string) =>
    waitFor(async () => (await service.get(`/v1/contents/${id}`)).body, (c) => !['received', 'processing'].includes(c.status), `content ${id}`);
  const upload = async (image: Buffer, region: string) => {
    const response = await service.post('/v1/contents', { form: contentForm(image, { region }) });
    expect(response.status).toBe(202);
    return settled(response.body.id);
  };

  beforeAll(async () => {
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0' });
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    const engineer = await loupe.client('ml_engineer');
    const alice = await loupe.client('moderator', 'alice');
    const bob = await loupe.client('moderator', 'bob');

    // The model removes the borderline fixture (0.78) outright: remove threshold 0.7.
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.5, remove: 0.7 } })).status).toBe(200);
    const byModel = await upload(await readFile(path.join(ROOT, 'test/fixtures/borderline-adult-nudity.png')), 'DE');
    expect(byModel.decision).toMatchObject({ outcome: 'removed', source: 'model' });
    ids.byModel = byModel.id;
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.6, remove: 0.95 } })).status).toBe(200);

    // An ordinary item, viewed 100 times, reported, and removed by a moderator.
    const image = await makeImage({ seed: 4242 });
    const byModerator = await upload(image, 'FR');
    expect(byModerator.status).toBe('allowed');
    ids.byModerator = byModerator.id;
    expect((await service.post(`/v1/contents/${byModerator.id}/views`, { json: { views: 100 } })).status).toBe(201);
    expect((await service.post(`/v1/contents/${byModerator.id}/reports`, { json: { policyId: 'adult_nudity', reason: 'nudity' } })).status).toBe(201);
    await decide(alice, (await claim(alice)).id, violating());
    expect((await service.get(`/v1/contents/${byModerator.id}`)).body.status).toBe('removed');

    // Its re-upload is removed at ingest by the bank entry the removal made.
    const byBank = await upload(image, 'FR');
    expect(byBank.decision).toMatchObject({ outcome: 'removed', source: 'hash' });
    ids.byBank = byBank.id;

    // The model's removal is appealed and overturned: the item is reinstated.
    expect((await service.post(`/v1/contents/${byModel.id}/appeals`, { json: { statement: 'abstract shapes' } })).status).toBe(201);
    await decide(bob, (await claim(bob, 'appeals')).id, notViolating());
    expect((await service.get(`/v1/contents/${byModel.id}`)).body.status).toBe('allowed');
  });
  afterAll(() => loupe?.close());

  it('counts removals, proactive and before any view, automated and human, appeals and reinstatements, as by hand', async () => {
    const response = await analyst.get(`/v1/analysis/transparency?period=${today()}`);
    expect(response.status).toBe(200);
    const row = (policyId: string, country: string) => response.body.rows.find((r: any) => r.policyId === policyId && r.country === country);
    expect(row('*', '*')).toMatchObject({
      removed: 3,
      // The model's and the bank's; the moderator's followed a report.
      proactive: 2,
      proactiveShare: 2 / 3,
      // The moderator's came after 100 views.
      removedBeforeAnyView: 2,
      removedWithin24h: 3,
      automated: 2,
      humanReviewed: 1,
      appeals: 1,
      reinstatements: 1,
    });
    expect(row('*', '*').medianSecondsToAction).toBeGreaterThan(0);
    expect(row('adult_nudity', 'DE')).toMatchObject({ removed: 1, proactive: 1, appeals: 1, reinstatements: 1 });
    expect(row('adult_nudity', 'FR')).toMatchObject({ removed: 2, proactive: 1, removedBeforeAnyView: 1, humanReviewed: 1, appeals: 0 });

    const germany = await analyst.get(`/v1/analysis/transparency?period=${today()}&country=DE`);
    expect(germany.body.rows.map((r: any) => r.country)).toEqual(expect.arrayContaining(['*', 'DE']));
    expect(germany.body.rows.some((r: any) => r.country === 'FR')).toBe(false);

    const csv = await analyst.get(`/v1/analysis/transparency?period=${today()}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const [header, totals] = csv.text.trim().split('\n');
    expect(header.split(',').slice(0, 4)).toEqual(['policyId', 'country', 'removed', 'proactive']);
    expect(totals.split(',').slice(0, 4)).toEqual(['*', '*', '3', '2']);

    // A period in which nothing happened.
    expect((await analyst.get('/v1/analysis/transparency?period=2020-Q1')).body.rows).toEqual([]);
  });

  it('exports each removal as a DSA statement of reasons that the database would accept', async () => {
    const response = await analyst.get(`/v1/analysis/transparency/dsa?period=${today()}`);
    expect(response.status).toBe(200);
    const batches = response.text.trim().split('\n').map((line) => JSON.parse(line));
    expect(batches).toHaveLength(1);
    for (const batch of batches) expect(validateDsaBatch(batch)).toEqual([]);
    const statements = batches[0].statements as any[];
    expect(statements.map((s) => s.puid).sort()).toEqual(Object.values(ids).sort());
    const of = (id: string) => statements.find((s) => s.puid === id);
    expect(of(ids.byBank)).toMatchObject({ automated_detection: 'Yes', automated_decision: 'AUTOMATED_DECISION_FULLY', content_type: ['CONTENT_TYPE_IMAGE'] });
    expect(of(ids.byModerator)).toMatchObject({ automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED' });
  });

  it('prints the figures from the command line', async () => {
    // The command reads the database directly: PostgreSQL here (an embedded database is held by the running server).
    if (stores !== 'real') return;
    if (!existsSync(path.join(ROOT, API_ENTRY))) throw new Error('Build first: npm run build (npm test does it)');
    const database = loupe.config.database;
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const cli = startProcess(process.execPath, [path.join(ROOT, CLI_ENTRY), 'report', 'transparency', '--period', today(), '--format', 'csv'], { DATABASE_URL: database.url, DATA_DIR: loupe.dataDir });
    if ((await cli.exited) !== 0) throw new Error(`loupe report transparency failed:\n${cli.output()}`);
    expect(cli.output()).toMatch(/^\*,\*,3,2,/m);
  });

  it('refuses a period or a filter that does not parse, naming the field', async () => {
    const quarter = await analyst.get('/v1/analysis/transparency?period=2026-Q5');
    expect([quarter.status, quarter.body.code, quarter.body.details.field]).toEqual([400, 'analysis.invalid_period', 'period']);
    const dsa = await analyst.get('/v1/analysis/transparency/dsa?period=yesterday');
    expect([dsa.status, dsa.body.code]).toEqual([400, 'analysis.invalid_period']);
    const country = await analyst.get(`/v1/analysis/transparency?period=${today()}&country=germany`);
    expect([country.status, country.body.code]).toEqual([400, 'request.invalid']);
    expect((await analyst.get('/v1/analysis/transparency')).status).toBe(400);
  });
});
