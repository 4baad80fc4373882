import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LAYERS_TO_ONNX_VERSION } from '@loupe/ml';
import { ApiClient, contentForm, makeImage, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(180_000);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** The parity bound, when the version carries figures (a graph found kept without them has none). */
const PARITY = 1e-4;

async function classified(service: ApiClient, seed: number) {
  const upload = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed })) });
  expect(upload.status).toBe(202);
  return waitFor(async () => (await service.get(`/v1/contents/${upload.body.id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'the item to settle');
}

/**
 * The backbone's exported graph is a version in the model registry, with
 * its lineage, and the compute threads serve the file the registry vouches
 * for. A file that does not hash to the registered sha256 never takes
 * classification down: the backbone serves on tfjs, every score says so,
 * and /health says why (as a code), still 200.
 */
describe('the backbone as a registry artefact (embedded)', () => {
  /** The registered graph's sha256 and size, for the corrupt copy below. */
  let registered: string;
  let registeredBytes: number;

  describe('registered and served', () => {
    let loupe: TestApp;
    beforeAll(async () => {
      loupe = await startTestApp('embedded');
    });
    afterAll(() => loupe?.close());

    it('registers the graph with its lineage on the first classification, serves it on onnxruntime, and /health says so', async () => {
      const service = await loupe.client('service');
      const engineer = await loupe.client('ml_engineer');
      const item = await classified(service, 41);
      expect(item.scores[0]).toMatchObject({ modelId: 'nsfwjs-mobilenetv2', backend: 'onnxruntime' });

      expect((await engineer.get('/v1/models')).body).toEqual([expect.objectContaining({ name: 'backbone', versions: 1, latestVersion: 1, aliases: {}, experiment: null })]);
      const version = (await engineer.get('/v1/models/backbone/versions/1')).body;
      expect(version).toMatchObject({
        modelName: 'backbone',
        source: 'exported',
        format: 'onnx',
        policies: [],
        thresholds: {},
        gatesPassed: null,
        signature: { inputs: ['image'], pixels: { layout: 'nhwc', size: 224 }, outputs: ['probabilities', 'pooled', 'dense', 'midGem'] },
        lineage: { datasetId: null, trainingRunId: null, parentVersionId: null },
        card: {
          kind: 'backbone',
          lineage: {
            backbone: `nsfwjs-mobilenetv2@${item.scores[0].modelVersion}`,
            source: { package: 'nsfwjs', version: item.scores[0].modelVersion, architecture: 'MobileNetV2', format: 'tfjs-layers' },
            exporter: { id: 'layers-to-onnx', version: LAYERS_TO_ONNX_VERSION },
            sha256: version.artefactSha256,
            bytes: version.artefactBytes,
            input: { name: 'pixels', type: 'float32', shape: ['N', 224, 224, 3], layout: 'nhwc' },
            outputs: [
              expect.objectContaining({ name: 'probabilities', shape: ['N', 5] }),
              expect.objectContaining({ name: 'pooled', shape: ['N', 1280] }),
              expect.objectContaining({ name: 'dense', shape: ['N', 256] }),
              expect.objectContaining({ name: 'midGem', shape: ['N', 576] }),
            ],
          },
        },
      });
      const parity = version.card.lineage.parity;
      if (parity) for (const diff of Object.values(parity.maxAbsDiff)) expect(diff).toBeLessThan(PARITY);
      registered = version.artefactSha256;
      registeredBytes = version.artefactBytes;
      // Content-addressed under MODELS_DIR, as every artefact.
      const file = path.join(loupe.config.storage.modelsDir, registered.slice(0, 2), `${registered}.onnx`);
      expect(sha256(await readFile(file))).toBe(registered);

      const health = await loupe.admin.get('/health', { key: null });
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', backbone: { runtime: 'onnxruntime', requested: 'onnxruntime', fallback: false, reason: null } });

      // It is never promoted or deployed as heads are, and no run or upload may add to its name.
      const promote = await engineer.post('/v1/models/backbone/promote', { json: { version: 1 } });
      expect([promote.status, promote.body.code]).toEqual([409, 'model.backbone_not_deployable']);
      const deploy = await engineer.put('/v1/models/backbone/deployment', { json: { challenger: 1, mode: 'shadow' } });
      expect([deploy.status, deploy.body.code]).toEqual([409, 'model.backbone_not_deployable']);

      // A second item: the same version, nothing registered again.
      expect((await classified(service, 42)).scores[0].backend).toBe('onnxruntime');
      expect((await engineer.get('/v1/models/backbone/versions/2')).status).toBe(404);
    });
  });

  describe('with a corrupt artefact', () => {
    let loupe: TestApp;
    let modelsDir: string;
    beforeAll(async () => {
      // A fresh MODELS_DIR holding, at the graph's content address, bytes of the same size that are not the graph.
      modelsDir = await mkdtemp(path.join(tmpdir(), 'loupe-corrupt-backbone-'));
      const kept = path.join(modelsDir, registered.slice(0, 2), `${registered}.onnx`);
      await mkdir(path.dirname(kept), { recursive: true });
      // Same size: a content-addressed file that is there is never written again, so it stays corrupt.
      await writeFile(kept, Buffer.alloc(registeredBytes, 7));
      loupe = await startTestApp('embedded', { MODELS_DIR: modelsDir });
    });
    afterAll(async () => {
      await loupe?.close();
      await rm(modelsDir, { recursive: true, force: true });
    });

    it('classifies on tfjs, records the backend that ran, and /health reports the fallback with its code, still 200', async () => {
      const service = await loupe.client('service');
      const item = await classified(service, 43);
      expect(item.status).toBe('allowed');
      expect(item.scores[0]).toMatchObject({ modelId: 'nsfwjs-mobilenetv2', backend: expect.stringMatching(/^(wasm|tensorflow|cpu)$/) });

      // The registry still vouches for the right bytes: the file is what is wrong.
      expect((await loupe.admin.get('/v1/models/backbone/versions/1')).body.artefactSha256).toBe(registered);
      const health = await waitFor(
        () => loupe.admin.get('/health', { key: null }),
        (h) => h.body.backbone?.fallback === true,
        '/health to report the fallback',
      );
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', backbone: { runtime: 'tfjs', requested: 'onnxruntime', fallback: true, reason: 'artefact_corrupt' } });
    });
  });
});
