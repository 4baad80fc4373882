import { ApiClient, flipBits, randomPdq, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(120_000);

describe('hash banks', () => {
  let loupe: TestApp;
  let admin: ApiClient;
  let analyst: ApiClient;
  let service: ApiClient;

  const createBank = async (body: Record<string, unknown>) => {
    const response = await admin.post('/v1/banks', { json: body });
    expect(response.status).toBe(201);
    return response.body as { id: string; name: string };
  };
  const lookup = (hash: string, quality?: number) => service.post('/v1/hashes/lookup', { json: { signalType: 'pdq', hash, quality } });

  beforeAll(async () => {
    loupe = await startTestApp('embedded', { INDEX_POLL_MS: '200' });
    admin = loupe.admin;
    analyst = await loupe.client('analyst');
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  it('creates, lists, changes and deletes banks, refusing bad ones', async () => {
    const bank = await createBank({ name: 'crud-bank', policyId: 'hate_symbols', pdqDistance: 20, description: 'test' });
    expect(bank).toMatchObject({ kind: 'block', action: 'remove', enabledRatio: 1, pdqDistance: 20, vpdqQueryPercent: 80, vpdqComparedPercent: 0 });
    expect((await admin.post('/v1/banks', { json: { name: 'crud-bank' } })).body.code).toBe('bank.name_taken');
    expect((await admin.post('/v1/banks', { json: { name: 'x', policyId: 'nope' } })).body.code).toBe('bank.unknown_policy');
    expect((await admin.post('/v1/banks', { json: { name: 'x', pdqDistance: 300 } })).status).toBe(400);
    expect((await admin.post('/v1/banks', { json: { name: 'x', kind: 'maybe' } })).status).toBe(400);

    const listed = await analyst.get('/v1/banks');
    expect(listed.body.find((b: { id: string }) => b.id === bank.id)).toMatchObject({ entryCount: 0, activeEntryCount: 0 });
    const patched = await admin.request('PATCH', `/v1/banks/${bank.id}`, { json: { action: 'review', enabledRatio: 0.5 } });
    expect(patched.body).toMatchObject({ action: 'review', enabledRatio: 0.5, pdqDistance: 20 });
    expect((await analyst.request('PATCH', `/v1/banks/${bank.id}`, { json: { action: 'remove' } })).status).toBe(403);

    expect((await admin.delete(`/v1/banks/${bank.id}`)).status).toBe(204);
    expect((await admin.get(`/v1/banks/${bank.id}`)).body.code).toBe('bank.not_found');
  });

  it('matches within each bank\'s own threshold, inclusive, and only there', async () => {
    const tight = await createBank({ name: 'tight', pdqDistance: 8 });
    const loose = await createBank({ name: 'loose', pdqDistance: 40 });
    const hash = randomPdq(1);
    for (const bank of [tight, loose]) {
      const added = await admin.post(`/v1/banks/${bank.id}/entries`, { json: { signalType: 'pdq', hash, note: 'seed', tags: ['t1'] } });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ signalType: 'pdq', hash, quality: 100, source: 'manual', tags: ['t1'], enabled: true });
    }
    const again = await admin.post(`/v1/banks/${tight.id}/entries`, { json: { signalType: 'pdq', hash: hash.toUpperCase() } });
    expect(again.status).toBe(200);

    const banksOf = (body: { matches: { bank: { name: string }; distance: number }[] }) => body.matches.map((m) => [m.bank.name, m.distance]);
    await waitFor(async () => (await lookup(hash)).body.matches.length, (n) => n === 2, 'the index to take the entries');
    expect(banksOf((await lookup(flipBits(hash, 8))).body)).toEqual([['tight', 8], ['loose', 8]]);
    expect(banksOf((await lookup(flipBits(hash, 9))).body)).toEqual([['loose', 9]]);
    expect(banksOf((await lookup(flipBits(hash, 40))).body)).toEqual([['loose', 40]]);
    expect(banksOf((await lookup(flipBits(hash, 41))).body)).toEqual([]);
    const exact = (await lookup(hash)).body;
    expect(exact.action).toMatchObject({ action: 'remove', bankName: 'tight' });
    expect(exact.matches.every((m: { disposition: string }) => m.disposition === 'actioned')).toBe(true);
  });

  it('lets an allow bank veto a block match, and never actions low quality or outside the ratio', async () => {
    const block = await createBank({ name: 'block-list' });
    const hash = randomPdq(2);
    await admin.post(`/v1/banks/${block.id}/entries`, { json: { signalType: 'pdq', hash } });
    await waitFor(async () => (await lookup(hash)).body.matches.length, (n) => n === 1, 'the entry');
    expect((await lookup(hash, 40)).body).toMatchObject({ action: null, matches: [{ disposition: 'low_quality' }] });

    const allow = await createBank({ name: 'allow-list', kind: 'allow' });
    await admin.post(`/v1/banks/${allow.id}/entries`, { json: { signalType: 'pdq', hash: flipBits(hash, 3), note: 'meme template' } });
    const vetoed = await waitFor(async () => (await lookup(hash)).body, (b) => b.matches.length === 2, 'the allow entry');
    expect(vetoed.action).toBeNull();
    expect(vetoed.matches.map((m: { bank: { name: string }; disposition: string }) => [m.bank.name, m.disposition])).toEqual([
      ['block-list', 'allow_listed'],
      ['allow-list', 'allow_bank'],
    ]);
    await admin.delete(`/v1/banks/${allow.id}`);

    await admin.request('PATCH', `/v1/banks/${block.id}`, { json: { enabledRatio: 0 } });
    expect((await lookup(hash)).body).toMatchObject({ action: null, matches: [{ disposition: 'ratio' }] });
  });

  it('disables and enables an entry with a reason, in effect within seconds, with an audit trail', async () => {
    const bank = await createBank({ name: 'toggle' });
    const hash = randomPdq(3);
    const entry = (await admin.post(`/v1/banks/${bank.id}/entries`, { json: { signalType: 'pdq', hash } })).body;
    await waitFor(async () => (await lookup(hash)).body.matches.length, (n) => n === 1, 'the entry');

    expect((await admin.post(`/v1/banks/${bank.id}/entries/${entry.id}/disable`, { json: { reason: '' } })).status).toBe(400);
    const disabled = await admin.post(`/v1/banks/${bank.id}/entries/${entry.id}/disable`, { json: { reason: 'false positive' } });
    expect(disabled.body).toMatchObject({ enabled: false, disabledReason: 'false positive' });
    expect((await lookup(hash)).body.matches).toEqual([]);

    await admin.post(`/v1/banks/${bank.id}/entries/${entry.id}/enable`, { json: { reason: 'reviewed again' } });
    await waitFor(async () => (await lookup(hash)).body.matches.length, (n) => n === 1, 'the entry back');

    const detail = await analyst.get(`/v1/banks/${bank.id}/entries/${entry.id}`);
    expect(detail.body.history.map((h: { action: string; data: { reason?: string } }) => [h.action, h.data.reason])).toEqual([
      ['bank_entry.create', undefined],
      ['bank_entry.disable', 'false positive'],
      ['bank_entry.enable', 'reviewed again'],
    ]);
    expect(detail.body.history[1].actorRole).toBe('admin');
  });

  it('imports CSV with bad lines reported by number, keeps every good line, and exports what imports read', async () => {
    const bank = await createBank({ name: 'imported' });
    const good = [randomPdq(10), randomPdq(11), randomPdq(12)];
    const csv = [
      'signal_type,hash,quality,source,note,tags',
      `pdq,${good[0]},90,ncmec,"first, with a comma",a;b`,
      'pdq,not-a-hash,90,,,',
      `pdq,${good[1]},,,,`,
      `md5,${good[2]},90,,,`,
      `pdq,${good[2]},100,tx,,`,
      `pdq,${good[0]},90,ncmec,duplicate line,`,
    ].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv]), 'list.csv');
    const started = await admin.post(`/v1/banks/${bank.id}/imports`, { form });
    expect(started.status).toBe(202);
    const done = await waitFor(
      async () => (await analyst.get(`/v1/banks/${bank.id}/imports/${started.body.id}`)).body,
      (row) => ['completed', 'failed'].includes(row.status),
      'the import job',
    );
    expect(done).toMatchObject({ status: 'completed', linesRead: 7, imported: 3, duplicates: 1, failed: 2 });
    expect(done.errors).toEqual([expect.stringMatching(/^line 3: hash must be 64 hex/), expect.stringMatching(/^line 5: signal_type must be pdq or vpdq/)]);

    const exported = await analyst.get(`/v1/banks/${bank.id}/export?format=csv`);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const lines = exported.text.trim().split('\n');
    expect(lines[0]).toBe('signal_type,hash,quality,source,note,tags');
    expect(lines.slice(1)).toEqual([`pdq,${good[0]},90,ncmec,"first, with a comma",a;b`, `pdq,${good[1]},100,import,,`, `pdq,${good[2]},100,tx,,`]);

    const jsonl = await analyst.get(`/v1/banks/${bank.id}/export?format=jsonl`);
    const copy = await createBank({ name: 'imported-copy' });
    const again = new FormData();
    again.append('file', new Blob([jsonl.text]), 'copy.jsonl');
    const second = await admin.post(`/v1/banks/${copy.id}/imports`, { form: again });
    const copied = await waitFor(async () => (await analyst.get(`/v1/banks/${copy.id}/imports/${second.body.id}`)).body, (r) => r.status === 'completed', 'copy');
    expect(copied).toMatchObject({ imported: 3, failed: 0 });
    expect((await analyst.get(`/v1/banks/${copy.id}/export?format=csv`)).text).toBe(exported.text);
    await waitFor(async () => (await lookup(good[1])).body.matches.length, (n) => n === 2, 'imported entries in the index');
  });

  it('refuses an import without a known format, and exports of unknown banks', async () => {
    const bank = await createBank({ name: 'formats' });
    const form = new FormData();
    form.append('file', new Blob(['x']), 'list.txt');
    expect((await admin.post(`/v1/banks/${bank.id}/imports`, { form })).body.code).toBe('bank_import.unknown_format');
    expect((await analyst.get('/v1/banks/00000000-0000-4000-8000-000000000000/export')).status).toBe(404);
  });

  it('banks vPDQ entries and matches them by their share of frames', async () => {
    const bank = await createBank({ name: 'videos', vpdqQueryPercent: 80, vpdqComparedPercent: 50 });
    const frames = Array.from({ length: 10 }, (_, i) => ({ frameNumber: i * 30, timestamp: i, quality: 90, pdq: randomPdq(100 + i) }));
    const added = await admin.post(`/v1/banks/${bank.id}/entries`, { json: { signalType: 'vpdq', frames } });
    expect(added.body).toMatchObject({ signalType: 'vpdq', frameCount: 10, quality: 90 });

    const video = (query: typeof frames) => service.post('/v1/hashes/lookup', { json: { signalType: 'vpdq', frames: query } });
    const same = await waitFor(async () => (await video(frames)).body, (b) => b.matches.length === 1, 'the vpdq entry');
    expect(same.matches[0]).toMatchObject({ queryMatchPercent: 100, comparedMatchPercent: 100, disposition: 'actioned' });
    // A clip: 8 of the 10 frames, slightly changed. 100% of the query, 80% of the banked video.
    const clip = frames.slice(1, 9).map((f) => ({ ...f, pdq: flipBits(f.pdq, 5) }));
    expect((await video(clip)).body.matches[0]).toMatchObject({ queryMatchPercent: 100, comparedMatchPercent: 80 });
    // 3 of the 10 banked frames: under the banked side's 50%.
    expect((await video(frames.slice(0, 3))).body.matches).toEqual([]);
    // Half the query unrelated: under the query side's 80%.
    const mixed = [...frames.slice(0, 6), ...Array.from({ length: 6 }, (_, i) => ({ ...frames[0], pdq: randomPdq(900 + i) }))];
    expect((await video(mixed)).body.matches).toEqual([]);
  });
});
