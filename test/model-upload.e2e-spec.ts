import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { headsToOnnx } from '@loupe/ml';
import { randomHeads, seededRandom } from '@loupe/ml/testing';
import { ApiClient, contentForm, makeImage, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

/** An ONNX model as another pipeline would make it: one input, one sigmoid output per policy. */
function onnxModel(options: { width: number; policies: number; seed: number; relu?: boolean }): Buffer {
  const head = randomHeads(seededRandom(options.seed), { imageDim: options.width, textDim: 0, policies: options.policies });
  if (options.relu) {
    // No sigmoid, and a large bias: "scores" far above 1.
    head.layers[0].activation = 'relu';
    head.layers[0].bias.fill(50);
  }
  return Buffer.from(headsToOnnx({ ...head, policies: Array.from({ length: options.policies }, (_, i) => `p${i}`) }, { producer: 'elsewhere' }));
}

describe('bringing your own ONNX model (embedded)', () => {
  let loupe: TestApp;
  let engineer: ApiClient;
  let service: ApiClient;

  const uploadModel = (file: Buffer, input: string, outputs: string) => {
    const form = new FormData();
    form.append('input', input);
    form.append('outputs', outputs);
    form.append('file', new Blob([file], { type: 'application/octet-stream' }), 'model.onnx');
    return engineer.post('/v1/models/partner-model/versions', { form });
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
      [onnxModel({ width: 100, policies: 1, seed: 1 }), 'embedding', 'spam', 'model.signature_mismatch'],
      [onnxModel({ width: 1280, policies: 2, seed: 2 }), 'embedding', 'spam', 'model.signature_mismatch'],
      [onnxModel({ width: 1280, policies: 1, seed: 3 }), 'embedding', 'no_such_policy', 'model.unknown_policy'],
      [onnxModel({ width: 1280, policies: 1, seed: 4, relu: true }), 'embedding', 'spam', 'model.bad_outputs'],
      [onnxModel({ width: 1280, policies: 1, seed: 5 }), 'image', 'spam', 'model.input_unsupported'],
    ];
    for (const [file, input, outputs, code] of cases) {
      const response = await uploadModel(file, input, outputs);
      expect([code, response.status, response.body.code]).toEqual([code, 422, code]);
    }
    expect((await uploadModel(onnxModel({ width: 1280, policies: 1, seed: 6 }), 'pixels', 'spam')).status).toBe(400);
    expect((await engineer.get('/v1/models')).body).toEqual([]);
    const modelsDir = path.join(loupe.dataDir, 'models');
    const stored = await readdir(modelsDir, { recursive: true }).catch(() => [] as string[]);
    expect(stored.filter((f) => String(f).endsWith('.onnx'))).toEqual([]);
  });

  it('registers a model that fits, evaluates and gates it, and serves it once promoted', async () => {
    const created = await uploadModel(onnxModel({ width: 1280, policies: 1, seed: 8 }), 'embedding', 'spam');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ modelName: 'partner-model', version: 1, source: 'uploaded', policies: ['spam'], signature: { inputs: ['embedding'], imageDim: 1280 } });
    expect((await engineer.post('/v1/models/partner-model/promote', { json: { version: 1 } })).status).toBe(200);
    const item = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 78 })) });
    const scored = await waitFor(async () => (await service.get(`/v1/contents/${item.body.id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'classification');
    expect(scored.scores.find((s: { modelId: string }) => s.modelId === 'partner-model')).toMatchObject({ modelVersion: '1', backend: 'onnxruntime', servingRole: 'champion', acted: true, policyScores: { spam: expect.any(Number) } });
  });
});
