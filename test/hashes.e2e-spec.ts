import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { haveSharedData } from '@loupe/common/testing';
import { pdqHammingDistance } from '@loupe/hashing';
import { ApiClient, makeImage, makeVideo, startTestApp, TestApp } from '@loupe/testing';

jest.setTimeout(120_000);

const VECTORS = path.resolve(__dirname, '../../shared/vectors/pdq');
const haveVectors = haveSharedData(path.join(VECTORS, 'expected.tsv'), 'the PDQ conformance checks through the API');

interface Expected {
  file: string;
  width: number;
  height: number;
  quality: number;
  pdq: string;
  dihedral: string[];
}

async function expectedRows(): Promise<Expected[]> {
  const [, ...rows] = (await readFile(path.join(VECTORS, 'expected.tsv'), 'utf8')).trim().split('\n');
  return rows.map((row) => {
    const [file, width, height, quality, pdq, ...dihedral] = row.split('\t');
    return { file, width: Number(width), height: Number(height), quality: Number(quality), pdq, dihedral };
  });
}

const fileForm = (data: Buffer, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  return form;
};

describe('the hashes API', () => {
  let loupe: TestApp;
  let service: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp('embedded');
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  (haveVectors ? it : it.skip)('hashes every PDQ vector through the whole stack, bit-exact, with its 8 dihedral hashes', async () => {
    for (const row of await expectedRows()) {
      const response = await service.post('/v1/hashes/hash', { form: fileForm(await readFile(path.join(VECTORS, row.file)), row.file) });
      expect({ file: row.file, status: response.status }).toEqual({ file: row.file, status: 200 });
      expect({ file: row.file, pdq: response.body.pdq, quality: response.body.quality, dihedral: response.body.dihedral }).toEqual({
        file: row.file,
        pdq: row.pdq,
        quality: row.quality,
        dihedral: row.dihedral,
      });
    }
  });

  (haveVectors ? it : it.skip)('keeps pre-scaled images over 1024 px within distance 10 of the reference (quality >= 80)', async () => {
    const rows = (await expectedRows()).filter((r) => r.quality >= 80 && Math.max(r.width, r.height) >= 512).slice(0, 12);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      // Upscaled past the 1024 px limit: Loupe scales it back down before hashing.
      const big = await sharp(path.join(VECTORS, row.file)).resize(row.width * 2, row.height * 2, { kernel: 'lanczos3' }).png().toBuffer();
      const response = await service.post('/v1/hashes/hash', { form: fileForm(big, row.file) });
      expect({ file: row.file, width: response.body.width }).toEqual({ file: row.file, width: row.width * 2 });
      expect({ file: row.file, close: pdqHammingDistance(response.body.pdq, row.pdq) <= 10 }).toEqual({ file: row.file, close: true });
    }
  });

  it('hashes a video with vPDQ at the requested frame rate', async () => {
    const video = await makeVideo({ seconds: 3, seed: 3 });
    const oneFps = await service.post('/v1/hashes/hash', { form: fileForm(video, 'v.mp4') });
    expect(oneFps.status).toBe(200);
    expect(oneFps.body).toMatchObject({ kind: 'video', width: 320, height: 240, frameRate: 25 });
    expect(oneFps.body.frames.map((f: { frameNumber: number }) => f.frameNumber)).toEqual([0, 25, 50]);
    const every = await service.post('/v1/hashes/hash?fps=0', { form: fileForm(video, 'v.mp4') });
    expect(every.body.frames).toHaveLength(75);
    expect(every.body.frames[25]).toEqual(oneFps.body.frames[1]);
    expect((await service.post('/v1/hashes/hash?fps=-1', { form: fileForm(video, 'v.mp4') })).status).toBe(400);
  });

  it('refuses files it cannot hash with a clear 4xx', async () => {
    const text = await service.post('/v1/hashes/hash', { form: fileForm(Buffer.from('hello world, not media'), 'x.txt') });
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('media.unsupported_type');
    const video = await makeVideo({ seconds: 2, seed: 4 });
    const cut = await service.post('/v1/hashes/hash', { form: fileForm(video.subarray(0, Math.floor(video.length / 2)), 'cut.mp4') });
    expect(cut.status).toBe(422);
    expect(cut.body.code).toMatch(/^media\.(truncated|corrupt)$/);
    const badLookup = await service.post('/v1/hashes/lookup', { json: { signalType: 'pdq', hash: 'abc' } });
    expect(badLookup.status).toBe(400);
  });

  it('looks up by file, searching the dihedral hashes so a flipped copy matches', async () => {
    const image = await makeImage({ seed: 61, width: 400, height: 300 });
    const bank = (await loupe.admin.post('/v1/banks', { json: { name: 'flips' } })).body;
    await loupe.admin.post(`/v1/banks/${bank.id}/entries/media`, { form: fileForm(image, 'e.png') });
    const flipped = await sharp(image).flop().png().toBuffer();
    const byHash = await service.post('/v1/hashes/lookup', {
      json: { signalType: 'pdq', hash: (await service.post('/v1/hashes/hash', { form: fileForm(flipped, 'f.png') })).body.pdq },
    });
    expect(byHash.body.matches).toEqual([]);
    const byFile = await service.post('/v1/hashes/lookup', { form: fileForm(flipped, 'f.png') });
    expect(byFile.body.matches).toEqual([expect.objectContaining({ bank: expect.objectContaining({ name: 'flips' }), disposition: 'actioned' })]);
    expect(byFile.body.action).toMatchObject({ action: 'remove', bankName: 'flips' });
  });
});
