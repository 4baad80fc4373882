import sharp from 'sharp';
import {
  ApiClient,
  claim,
  contentForm,
  decide,
  isolatedQueue,
  makeVideo,
  moderatorIdOf,
  notViolating,
  reviewEverything,
  startTestApp,
  StoreKind,
  TestApp,
  uploadSettled,
  waitFor,
} from '@loupe/testing';

jest.setTimeout(240_000);

/** Mean absolute difference between horizontal neighbours: how much fine detail an image keeps. */
async function detail(image: Buffer, width: number, height: number): Promise<number> {
  const { data } = await sharp(image).resize(width, height, { fit: 'fill' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let y = 0; y < height; y++) for (let x = 1; x < width; x++) sum += Math.abs(data[y * width + x] - data[y * width + x - 1]);
  return sum / (height * (width - 1));
}

/** Largest difference between colour channels over all pixels: 0 for a greyscale image. */
async function colourfulness(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return 0;
  // Local names: a lookup of Math per pixel is slow under Jest's vm sandbox.
  const { abs, max } = Math;
  let most = 0;
  for (let i = 0; i < data.length; i += info.channels) most = max(most, abs(data[i] - data[i + 1]), abs(data[i + 1] - data[i + 2]));
  return most;
}

/** Random colours in 4-pixel blocks: plenty of fine, sharp detail for a blur to take away. */
async function blocks(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = 12345;
  const random = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) % 256;
  const colours = Array.from({ length: (width / 4) * (height / 4) }, () => [random(), random(), random()]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set(colours[(y >> 2) * (width / 4) + (x >> 2)], (y * width + x) * 3);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** Previews, reveals, preferences, the exposure budget and the wellbeing report. */
describe.each<StoreKind>(['embedded', 'real'])('moderator wellbeing on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;
  let grace: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0', EXPOSURE_HOURLY_LIMIT: '2' });
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    grace = await loupe.client('moderator', 'grace');
    await reviewEverything(loupe);
  });
  afterAll(() => loupe?.close());

  it('serves a blurred greyscale preview by default, the moderator\'s own settings when set, and the original only on an audited reveal', async () => {
    await isolatedQueue(loupe, 'se', 'SE');
    const original = await blocks(320, 240);
    const upload = await service.post('/v1/contents', { form: contentForm(original, { region: 'SE' }) });
    await waitFor(async () => (await service.get(`/v1/contents/${upload.body.id}`)).body.status, (s) => s === 'in_review', 'review');
    const task = await claim(grace, 'se');
    expect(task.previewUrl).toBe(`/v1/review/tasks/${task.id}/preview`);

    const preview = await grace.request('GET', task.previewUrl, { headers: {} });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/jpeg');
    expect(preview.headers.get('cache-control')).toBe('no-store');
    const softened = Buffer.from(await (await fetch(`${loupe.baseUrl}${task.previewUrl}`, { headers: { 'x-api-key': grace.key! } })).arrayBuffer());
    expect(await colourfulness(softened)).toBeLessThanOrEqual(2);
    const sharpPreview = Buffer.from(await (await fetch(`${loupe.baseUrl}${task.previewUrl}?blur=0&greyscale=false`, { headers: { 'x-api-key': grace.key! } })).arrayBuffer());
    expect(await colourfulness(sharpPreview)).toBeGreaterThan(20);
    expect(await detail(softened, 160, 120)).toBeLessThan((await detail(sharpPreview, 160, 120)) / 3);
    expect((await grace.get(`${task.previewUrl}?blur=101`)).status).toBe(400);

    // Preferences: the organisation default until the moderator sets their own; null goes back to it.
    expect((await loupe.admin.put('/v1/wellbeing/defaults', { json: { blur: 30, greyscale: true } })).status).toBe(200);
    expect((await grace.get('/v1/me/preferences')).body).toEqual({ blur: 30, greyscale: true, source: { blur: 'default', greyscale: 'default' } });
    const own = await grace.put('/v1/me/preferences', { json: { greyscale: false } });
    expect(own.body).toEqual({ blur: 30, greyscale: false, source: { blur: 'default', greyscale: 'own' } });
    const colour = Buffer.from(await (await fetch(`${loupe.baseUrl}${task.previewUrl}`, { headers: { 'x-api-key': grace.key! } })).arrayBuffer());
    expect(await colourfulness(colour)).toBeGreaterThan(20);
    expect((await grace.put('/v1/me/preferences', { json: { greyscale: null } })).body.source.greyscale).toBe('default');

    // Another moderator sees neither the preview nor the original.
    const other = await loupe.client('moderator');
    expect((await other.get(task.previewUrl)).status).toBe(403);
    expect((await other.post(task.revealUrl)).status).toBe(403);

    const reveal = await fetch(`${loupe.baseUrl}${task.revealUrl}`, { method: 'POST', headers: { 'x-api-key': grace.key! } });
    expect(reveal.status).toBe(200);
    expect(reveal.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await reveal.arrayBuffer()).equals(original)).toBe(true);
    const audit = (await analyst.get(`/v1/audit?action=review.reveal&entityId=${task.id}`)).body;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: await moderatorIdOf(loupe, 'grace'), data: { contentId: upload.body.id } });
    await decide(grace, task.id, notViolating());
  });

  it('previews a video as a muted contact sheet of its frames', async () => {
    await isolatedQueue(loupe, 'fi', 'FI');
    const video = await makeVideo({ seconds: 4, seed: 3 });
    const upload = await service.post('/v1/contents', { form: contentForm(video, { region: 'FI' }, 'clip.mp4', 'mp4') });
    expect(upload.status).toBe(202);
    await waitFor(async () => (await service.get(`/v1/contents/${upload.body.id}`)).body.status, (s) => s === 'in_review', 'video review');
    const task = await claim(grace, 'fi');
    expect(task.content.kind).toBe('video');
    const response = await fetch(`${loupe.baseUrl}${task.previewUrl}`, { headers: { 'x-api-key': grace.key! } });
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const sheet = Buffer.from(await response.arrayBuffer());
    const meta = await sharp(sheet).metadata();
    expect(meta.format).toBe('jpeg');
    // Several 320x240 frames side by side and in rows: larger than one frame in both directions.
    expect(meta.width!).toBeGreaterThan(320);
    expect(meta.height!).toBeGreaterThan(240);
    expect(await colourfulness(sheet)).toBeLessThanOrEqual(2);
    const reveal = await fetch(`${loupe.baseUrl}${task.revealUrl}`, { method: 'POST', headers: { 'x-api-key': grace.key! } });
    expect(reveal.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await reveal.arrayBuffer()).equals(video)).toBe(true);
    await decide(grace, task.id, notViolating());
  });

  it('past the hourly budget offers only lower-severity work, and says so plainly', async () => {
    await isolatedQueue(loupe, 'no', 'NO');
    const heidi = await loupe.client('moderator', 'heidi');
    for (const seed of [311, 312, 313]) await uploadSettled(service, seed, { region: 'NO' });
    for (let i = 0; i < 2; i++) {
      const task = await claim(heidi, 'no');
      expect(task.severity).toBe('high');
      await decide(heidi, task.id, notViolating());
    }
    // A low-severity report case, on an item someone else allowed.
    const reported = await uploadSettled(service, 314, { region: 'NO' });
    const judy = await loupe.client('moderator', 'judy');
    const waiting = [await claim(judy, 'no'), await claim(judy, 'no')];
    const allowedOne = waiting.find((t) => t.content.id === reported.id);
    await decide(judy, allowedOne.id, notViolating());
    const other = waiting.find((t) => t !== allowedOne);
    expect((await judy.post(`/v1/review/tasks/${other.id}/release`)).status).toBe(204);
    await service.post(`/v1/contents/${reported.id}/reports`, { json: { policyId: 'spam', reason: 'link farm' } });

    const exposure = (await heidi.get('/v1/me/exposure')).body;
    expect(exposure).toMatchObject({ lastHour: 2, hourlyLimit: 2, restricted: true, breakRequired: false });
    expect(exposure.message).toMatch(/2 high-severity items in the last hour.*only be offered low- and medium-severity/);
    const task = await claim(heidi, 'no');
    expect(task).toMatchObject({ severity: 'low', policyIds: ['spam'], exposure: { restricted: true } });
    await decide(heidi, task.id, notViolating('spam'));
    // The high-severity item still waiting is not offered to her.
    expect(await claim(heidi, 'no')).toBeNull();

    const heidiId = await moderatorIdOf(loupe, 'heidi');
    expect((await loupe.admin.request('PATCH', `/v1/moderators/${heidiId}`, { json: { team: 'night' } })).status).toBe(200);
    const report = (await analyst.get('/v1/wellbeing/report')).body;
    expect(report.moderators.find((m: { moderatorId: string }) => m.moderatorId === heidiId)).toMatchObject({ team: 'night', reviews: 3, highSeverityExposures: 2, reveals: 0 });
    const graceRow = report.moderators.find((m: { name: string }) => m.name === 'grace');
    expect(graceRow.reveals).toBe(2);
    expect(graceRow.revealRate).toBeGreaterThan(0);
    expect(report.teams.find((t: { team: string }) => t.team === 'night')).toMatchObject({ moderators: 1, highSeverityExposures: 2 });
    const ownOnly = (await heidi.get('/v1/wellbeing/report')).body;
    expect(ownOnly.moderators.map((m: { moderatorId: string }) => m.moderatorId)).toEqual([heidiId]);
  });

  it('can require a break instead, answering 423 until one is taken', async () => {
    const strict = await startTestApp(stores, { EXPOSURE_ACTION: 'break', EXPOSURE_HOURLY_LIMIT: '1', BREAK_MINUTES: '10' });
    try {
      await reviewEverything(strict);
      const ivan = await strict.client('moderator', 'ivan');
      const strictService = await strict.client('service');
      for (const seed of [321, 322]) await uploadSettled(strictService, seed);
      await decide(ivan, (await claim(ivan)).id, notViolating());
      const refused = await ivan.get('/v1/review/next');
      expect(refused.status).toBe(423);
      expect(refused.body.code).toBe('wellbeing.break_required');
      expect(refused.body.message).toMatch(/take a break of at least 10 minutes/);
      const taken = await ivan.post('/v1/me/breaks', { json: { minutes: 10 } });
      expect(taken.status).toBe(201);
      expect(taken.body.required).toBe(true);
      expect((await strict.admin.get('/v1/wellbeing/report')).body.moderators[0]).toMatchObject({ name: 'ivan', breaks: 1, breakMinutes: 10 });
    } finally {
      await strict.close();
    }
  });
});
