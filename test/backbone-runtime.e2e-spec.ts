import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backboneOnnxFile } from '@loupe/ml';
import { contentForm, makeImage, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(120_000);

/**
 * The backbone serves from its exported graph on onnxruntime; a graph that
 * is broken never takes classification down: the compute thread says so and
 * serves the backbone on tfjs, and every score records which ran.
 */
describe('the backbone runtime (embedded)', () => {
  let loupe: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'loupe-broken-backbone-'));
    await writeFile(backboneOnnxFile(dir), 'not an onnx graph');
    loupe = await startTestApp('embedded', { BACKBONE_ONNX_DIR: dir });
  });
  afterAll(async () => {
    await loupe?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('falls back to tfjs when the stored graph is corrupt, and records the backend that ran', async () => {
    const service = await loupe.client('service');
    const upload = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 77 })) });
    expect(upload.status).toBe(202);
    const item = await waitFor(async () => (await service.get(`/v1/contents/${upload.body.id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'the item to settle');
    expect(item.status).toBe('allowed');
    expect(item.scores[0]).toMatchObject({ modelId: 'nsfwjs-mobilenetv2', backend: expect.stringMatching(/^(wasm|tensorflow|cpu)$/) });
  });
});
