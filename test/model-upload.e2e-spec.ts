import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { brightnessModel, brightnessScores, uploadedModel } from '@loupe/ml/testing';
import { ApiClient, contentForm, encodeRgb, makeImage, makeRgb, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

/** A photo-like image, darkened into [0, 64) or lightened into [150, 255): the brightness model tells them apart. */
async function shadedImage(seed: number, shade: 'dark' | 'bright'): Promise<Buffer> {
  const rgb = makeRgb(seed, 320, 240);
  for (let i = 0; i < rgb.length; i++) rgb[i] = shade === 'dark' ? rgb[i] >> 2 : 150 + Math.floor(rgb[i] * 0.4);
  return encodeRgb(rgb, 320, 240);
}

describe('bringing your own ONNX model (embedded)', () => {
  let loupe: TestApp;
  let engineer: ApiClient;
  let service: ApiClient;

  const uploadModel = (file: Buffer, input: string, outputs: string, name = 'partner-model') => {
    const form = new FormData();
    form.append('input', input);
    form.append('outputs', outputs);
    form.append('file', new Blob([file], { type: 'application/octet-stream' }), 'model.onnx');
    return engineer.post(`/v1/models/${name}/versions`, { form });
  };
  const settled = async (file: Buffer) => {
    const item = await service.post('/v1/contents', { form: contentForm(file) });
    return waitFor(async () => (await service.get(`/v1/contents/${item.body.id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'classification');
  };

  beforeAll(async () => {
    loupe = await startTestApp('embedded');
    engineer = await loupe.client('ml_engineer');
    service = await loupe.client('service');
    // One classified item, so that an upload is tried on a real embedding.
    const item = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 77 })) });
    await waitFor(async () => (await service.get(`/v1/contents/${item.body.id}`)).body.status, (s) => !['received', 'processing'].includes(s), 'classification');
  });
  afterAll(() => loupe?.close());

  it('refuses what it cannot serve with a code, and stores nothing', async () => {
    const cases: [Buffer, string, string, string][] = [
      [Buffer.from('not a model at all'), 'embedding', 'spam', 'model.not_onnx'],
      [uploadedModel({ width: 100, policies: 1, seed: 1 }), 'embedding', 'spam', 'model.signature_mismatch'],
      [uploadedModel({ width: 1280, policies: 2, seed: 2 }), 'embedding', 'spam', 'model.signature_mismatch'],
      [uploadedModel({ width: 1280, policies: 1, seed: 3 }), 'embedding', 'no_such_policy', 'model.unknown_policy'],
      [uploadedModel({ width: 1280, policies: 1, seed: 4, relu: true }), 'embedding', 'spam', 'model.bad_outputs'],
      // An embedding model declared as an image model, an image model of another size, and one declared as an embedding model.
      [uploadedModel({ width: 1280, policies: 1, seed: 5 }), 'image', 'spam', 'model.signature_mismatch'],
      [Buffer.from(brightnessModel({ dims: [3, 100, 100] })), 'image', 'spam', 'model.signature_mismatch'],
      [Buffer.from(brightnessModel({ layout: 'nhwc' })), 'embedding', 'spam', 'model.signature_mismatch'],
      // Scores outside [0, 1], found when the model is tried on the stored frames of the recent item.
      [Buffer.from(brightnessModel({ layout: 'nchw', biases: [10], sigmoid: false })), 'image', 'spam', 'model.bad_outputs'],
    ];
    for (const [file, input, outputs, code] of cases) {
      const response = await uploadModel(file, input, outputs);
      expect([code, response.status, response.body.code]).toEqual([code, 422, code]);
    }
    const small = await uploadModel(Buffer.from(brightnessModel({ dims: [3, 100, 100] })), 'image', 'spam');
    expect(small.body.details.problems).toEqual(['input "pixels" is [batch, 3, 100, 100]; it must be [N, 3, 224, 224] or [N, 224, 224, 3]']);
    expect((await uploadModel(uploadedModel({ width: 1280, policies: 1, seed: 6 }), 'pixels', 'spam')).status).toBe(400);
    // Only the backbone's exported graph, registered when the first item was classified.
    expect((await engineer.get('/v1/models')).body).toEqual([expect.objectContaining({ name: 'backbone', versions: 1 })]);
    const backbone = (await engineer.get('/v1/models/backbone/versions/1')).body.artefactSha256;
    const modelsDir = path.join(loupe.dataDir, 'models');
    const stored = await readdir(modelsDir, { recursive: true }).catch(() => [] as string[]);
    expect(stored.filter((f) => String(f).endsWith('.onnx')).map((f) => path.basename(String(f)))).toEqual([`${backbone}.onnx`]);
  });

  it('registers a model that fits, evaluates and gates it, and serves it once promoted', async () => {
    const created = await uploadModel(uploadedModel({ width: 1280, policies: 1, seed: 8 }), 'embedding', 'spam');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ modelName: 'partner-model', version: 1, source: 'uploaded', policies: ['spam'], signature: { inputs: ['embedding'], imageDim: 1280 } });
    expect((await engineer.post('/v1/models/partner-model/promote', { json: { version: 1 } })).status).toBe(200);
    const item = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 78 })) });
    const scored = await waitFor(async () => (await service.get(`/v1/contents/${item.body.id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'classification');
    expect(scored.scores.find((s: { modelId: string }) => s.modelId === 'partner-model')).toMatchObject({ modelVersion: '1', backend: 'onnxruntime', servingRole: 'champion', acted: true, policyScores: { spam: expect.any(Number) } });
  });

  it('registers a model that reads pixels, evaluates it on the stored frames, and serves it on each new item', async () => {
    // The mean of the red channel, channels first: a graph that reads the layout as a real one would.
    const vision = { layout: 'nchw' as const, channel: 0 as const, weights: [8], biases: [-4] };
    const modelInput = async (sha256: string) =>
      new Uint8Array(await readFile(path.join(loupe.dataDir, 'media', 'derived', sha256.slice(0, 2), sha256.slice(2, 4), sha256, 'model-input-224.rgb')));

    // Gold answers to evaluate on: the bright items violate, the dark ones do not.
    for (const [seed, shade] of [[901, 'dark'], [902, 'bright'], [903, 'dark'], [904, 'bright']] as const) {
      const item = await settled(await shadedImage(seed, shade));
      const gold = await loupe.admin.post('/v1/review/gold', { json: { contentId: item.id, labels: [{ policyId: 'graphic_violence', violating: shade === 'bright' }] } });
      expect(gold.status).toBe(201);
    }

    const created = await uploadModel(Buffer.from(brightnessModel(vision)), 'image', 'graphic_violence', 'partner-vision');
    expect([created.status, created.body.code]).toEqual([201, undefined]);
    expect(created.body).toMatchObject({
      modelName: 'partner-vision',
      version: 1,
      source: 'uploaded',
      policies: ['graphic_violence'],
      signature: { inputs: ['image'], pixels: { layout: 'nchw', size: 224 }, outputs: ['graphic_violence'] },
      // Nothing served graphic_violence: the gates that compare with a champion have nothing to compare with.
      gatesPassed: true,
    });
    // Every gold item was scored from its stored frames, and brightness separates them.
    const evaluation = (await engineer.get('/v1/models/partner-vision/versions/1/evaluation')).body;
    expect(evaluation.splits.gold.graphic_violence).toMatchObject({
      candidate: { missingScores: 0, metrics: { items: 4, positives: 2, negatives: 2, rocAuc: 1, prAuc: 1 } },
      champion: null,
    });

    // A shadow scores every new item from its own frames, and decides nothing.
    expect((await engineer.put('/v1/models/partner-vision/deployment', { json: { challenger: 1, mode: 'shadow' } })).status).toBe(200);
    const scoreOf = async (file: Buffer) => {
      const item = await settled(file);
      const row = item.scores.find((s: { modelId: string }) => s.modelId === 'partner-vision');
      return { item, row, expected: brightnessScores(await modelInput(item.media.sha256), vision)[0] };
    };
    const dark = await scoreOf(await shadedImage(911, 'dark'));
    const bright = await scoreOf(await shadedImage(912, 'bright'));
    for (const { row, expected } of [dark, bright]) {
      expect(row).toMatchObject({ modelVersion: '1', backend: 'onnxruntime', servingRole: 'shadow', acted: false });
      expect(row.policyScores.graphic_violence).toBeCloseTo(expected, 4);
    }
    expect(dark.row.policyScores.graphic_violence).toBeLessThan(0.2);
    expect(bright.row.policyScores.graphic_violence).toBeGreaterThan(0.8);

    // Promoted, it decides graphic_violence.
    expect((await engineer.post('/v1/models/partner-vision/promote', { json: { version: 1 } })).status).toBe(200);
    const promoted = await scoreOf(await shadedImage(913, 'bright'));
    expect(promoted.row).toMatchObject({ servingRole: 'champion', acted: true, policyScores: { graphic_violence: expect.closeTo(promoted.expected, 4) } });

    // The next version reads the embedding; it is judged beside the champion, which is run on the stored frames again.
    const next = await uploadModel(uploadedModel({ width: 1280, policies: 1, seed: 9 }), 'embedding', 'graphic_violence', 'partner-vision');
    expect([next.status, next.body.version]).toEqual([201, 2]);
    const beside = (await engineer.get('/v1/models/partner-vision/versions/2/evaluation')).body.splits.gold.graphic_violence;
    expect(beside.candidate).toMatchObject({ missingScores: 0, metrics: { items: 4 } });
    expect(beside.champion).toMatchObject({ missingScores: 0, metrics: { items: 4, rocAuc: 1 } });
  });
});
