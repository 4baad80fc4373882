/**
 * @jest-environment ./libs/ml/src/testing/native-typed-arrays.environment.js
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backboneId } from '../backbone';
import type { NsfwModel } from '../nsfw-model';
import { randomHeads, seededRandom } from '../testing/random-heads';
import { sha256Of } from './backbone-graph';
import { BackboneSource, loadServingBackbone } from './backbone-runner';
import { headsToOnnx } from './head-graph';
import { withMetadata } from './serving-metadata';

jest.setTimeout(60_000);

/**
 * Which runtime a thread serves the backbone on, and why, for each state of
 * the registered graph. The graphs here are small stand-ins (a heads graph:
 * onnxruntime loads it as it would the backbone's); the real backbone's
 * parity is export's spec, and serving it is the e2e test's.
 */
describe('loadServingBackbone', () => {
  const tfjsModel = { backend: 'wasm' } as unknown as NsfwModel;
  let dir: string;
  let graph: Uint8Array;
  const warnings: string[] = [];

  const load = (source: BackboneSource, runtime: 'onnxruntime' | 'tfjs' = 'onnxruntime') =>
    loadServingBackbone({ runtime, source, tfjs: async () => tfjsModel, warn: (message) => warnings.push(message) });
  const artefact = async (name: string, bytes: Uint8Array, sha256 = sha256Of(bytes)): Promise<BackboneSource> => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    return { kind: 'artefact', sha256, path: file };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'loupe-backbone-runner-'));
    const head = randomHeads(seededRandom(3), { imageDim: 8, textDim: 0, policies: 1 });
    graph = headsToOnnx({ ...head, policies: ['p0'] }, { backbone: backboneId() });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  beforeEach(() => (warnings.length = 0));

  it('serves the registered graph on onnxruntime once its bytes hash to the registered sha256', async () => {
    const source = await artefact('good.onnx', graph);
    const { classifier, state } = await load(source);
    expect(classifier.backend).toBe('onnxruntime');
    expect(state).toEqual({ runtime: 'onnxruntime', requested: 'onnxruntime', artefact: sha256Of(graph), fallbackReason: null });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['missing', async () => ({ kind: 'artefact', sha256: sha256Of(graph), path: path.join(dir, 'absent.onnx') }) as BackboneSource, 'artefact_missing'],
    ['corrupt (bytes changed on disk)', async () => artefact('corrupt.onnx', Uint8Array.from(graph, (b, i) => (i === 100 ? b ^ 1 : b)), sha256Of(graph)), 'artefact_corrupt'],
    ["another backbone's", async () => artefact('other.onnx', withMetadata(graph, { backbone: 'nsfwjs-mobilenetv2@0.0.1' })), 'artefact_mismatch'],
    ['not a graph', async () => artefact('junk.onnx', Buffer.from('not an onnx graph')), 'load_failed'],
    ['unavailable from the registry', async () => ({ kind: 'unavailable', reason: 'artefact_unavailable' }) as BackboneSource, 'artefact_unavailable'],
  ])('falls back to tfjs when the graph is %s, and says why', async (_, source, reason) => {
    const { classifier, state } = await load(await source());
    expect(classifier).toBe(tfjsModel);
    expect(state).toEqual({ runtime: 'tfjs', requested: 'onnxruntime', artefact: null, fallbackReason: reason });
    expect(warnings).toEqual([expect.stringContaining(`${reason}:`)]);
  });

  it('serves tfjs when asked for, which is no fallback', async () => {
    const { classifier, state } = await load(await artefact('asked.onnx', graph), 'tfjs');
    expect(classifier).toBe(tfjsModel);
    expect(state).toEqual({ runtime: 'tfjs', requested: 'tfjs', artefact: null, fallbackReason: null });
  });
});
