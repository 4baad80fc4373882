import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { backboneId } from '../backbone';
import { NSFW_CLASSES, NSFW_INPUT_SIZE, NsfwModel } from '../nsfw-model';
import { packageVersion } from '../package-version';
import { BACKBONE_ONNX_INPUT, BACKBONE_ONNX_OUTPUTS, backboneToOnnx } from './backbone-export';
import { LAYERS_TO_ONNX_VERSION } from './layers-to-onnx';
import { OnnxModel, OnnxValueInfo } from './onnx-model';
import { pixelsToTensor } from './pixel-input';

/*
 * The backbone's graph as the registry takes it: the bytes, their sha256,
 * what they were made from and by what (the lineage), and how far they are
 * from tfjs. The graph is made once per backbone and exporter version and
 * kept in a local directory (BACKBONE_ONNX_DIR) under a name that carries
 * both, so a new process, or a new database on the same machine (every test
 * server), registers it without loading tfjs.
 */

/** How far the graph's outputs are from tfjs's on a few frames: the largest absolute difference per output. */
export interface BackboneParity {
  frames: number;
  tfjsBackend: string;
  maxAbsDiff: Record<keyof typeof BACKBONE_ONNX_OUTPUTS, number>;
  sameTopClass: boolean;
}

/** What the graph was made from and by what: the registry keeps it on the version's card. */
export interface BackboneLineage {
  /** The id embeddings record, e.g. nsfwjs-mobilenetv2@4.3.0. */
  backbone: string;
  source: { package: 'nsfwjs'; version: string; architecture: 'MobileNetV2'; format: 'tfjs-layers' };
  exporter: { id: 'layers-to-onnx'; version: number };
  sha256: string;
  bytes: number;
  input: OnnxValueInfo & { layout: 'nhwc'; scale: string };
  outputs: (OnnxValueInfo & { meaning: string })[];
  /** Measured when the graph was exported; null when a kept graph was found without its figures. */
  parity: BackboneParity | null;
}

export interface BackboneGraph {
  bytes: Uint8Array;
  lineage: BackboneLineage;
  /** Whether this call exported it (loading tfjs), rather than finding it kept. */
  exported: boolean;
}

/** Frames the parity is measured on: few, since it runs when a process first exports the graph. */
const PARITY_FRAMES = 4;

const OUTPUT_MEANINGS: Record<string, string> = {
  [BACKBONE_ONNX_OUTPUTS.probabilities]: `softmax over ${NSFW_CLASSES.join(', ')}`,
  [BACKBONE_ONNX_OUTPUTS.pooled]: 'embedding: global average pool of the last block',
  [BACKBONE_ONNX_OUTPUTS.dense]: 'embedding: the first dense layer (ReLU)',
  [BACKBONE_ONNX_OUTPUTS.midGem]: 'embedding: GeM pool (p = 3) of block_13_expand_relu',
};

/** Where the graph of this backbone, by this exporter version, is kept: a new version of either gets a new file. */
export function backboneOnnxFile(dir: string): string {
  return path.join(dir, `${backboneId()}.layers-to-onnx-${LAYERS_TO_ONNX_VERSION}.onnx`);
}

/** The parity figures kept beside the graph, for the processes that find it kept. */
function parityFile(dir: string): string {
  return `${backboneOnnxFile(dir)}.parity.json`;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The graph kept in `dir` when it is this backbone's, by this exporter
 * version, and onnxruntime loads it; otherwise exported now from `tfjs()`
 * (and kept, written beside its name and renamed, so threads and processes
 * that export at once never read half a file).
 */
export async function prepareBackboneGraph(dir: string, tfjs: () => Promise<NsfwModel>): Promise<BackboneGraph> {
  const file = backboneOnnxFile(dir);
  const kept = await readFile(file).catch(() => null);
  if (kept) {
    const described = await describe(kept).catch(() => null);
    if (described) {
      const parity = await readFile(parityFile(dir), 'utf8')
        .then((text) => JSON.parse(text) as { sha256: string; parity: BackboneParity })
        .then((saved) => (saved.sha256 === described.sha256 ? saved.parity : null))
        .catch(() => null);
      return { bytes: kept, lineage: { ...described, parity }, exported: false };
    }
  }
  const model = await tfjs();
  const { bytes } = backboneToOnnx(model);
  const described = await describe(bytes, model);
  await mkdir(dir, { recursive: true });
  await writeAtomically(file, bytes);
  await writeAtomically(parityFile(dir), Buffer.from(JSON.stringify({ sha256: described.sha256, parity: described.parity })));
  return { bytes, lineage: described, exported: true };
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const staging = `${file}.${process.pid}-${threadId}.tmp`;
  await writeFile(staging, bytes);
  await rename(staging, file);
}

/**
 * The lineage of a graph, read from the graph itself: onnxruntime loads it
 * (a kept file that does not load is made again), its metadata must name
 * this backbone and exporter version, and with `tfjs` its outputs are
 * compared on a few frames.
 */
async function describe(bytes: Uint8Array, tfjs?: NsfwModel): Promise<BackboneLineage> {
  const model = await OnnxModel.load(bytes);
  try {
    if (model.metadata.backbone !== backboneId() || model.metadata.exporterVersion !== String(LAYERS_TO_ONNX_VERSION)) {
      throw new Error(`The graph is ${model.metadata.backbone} by exporter ${model.metadata.exporterVersion}, not ${backboneId()} by ${LAYERS_TO_ONNX_VERSION}`);
    }
    const [input] = model.inputs;
    return {
      backbone: backboneId(),
      source: { package: 'nsfwjs', version: packageVersion('nsfwjs'), architecture: 'MobileNetV2', format: 'tfjs-layers' },
      exporter: { id: 'layers-to-onnx', version: LAYERS_TO_ONNX_VERSION },
      sha256: sha256Of(bytes),
      bytes: bytes.length,
      input: { ...input, layout: 'nhwc', scale: 'byte / 255' },
      outputs: model.outputs.map((output) => ({ ...output, meaning: OUTPUT_MEANINGS[output.name] ?? '' })),
      parity: tfjs ? await measureParity(model, tfjs) : null,
    };
  } finally {
    await model.release();
  }
}

async function measureParity(model: OnnxModel, tfjs: NsfwModel): Promise<BackboneParity> {
  const maxAbsDiff = { probabilities: 0, pooled: 0, dense: 0, midGem: 0 };
  let sameTopClass = true;
  for (const rgb of parityFrames()) {
    const reference = await tfjs.classifyWithEmbedding(rgb);
    const out = await model.run({ [BACKBONE_ONNX_INPUT]: pixelsToTensor([rgb], 'nhwc') });
    const expected = { probabilities: Float32Array.from(NSFW_CLASSES, (name) => reference.outputs[name]), ...reference.embedding };
    for (const key of Object.keys(maxAbsDiff) as (keyof typeof maxAbsDiff)[]) {
      const got = out[BACKBONE_ONNX_OUTPUTS[key]].data;
      for (let i = 0; i < got.length; i++) maxAbsDiff[key] = Math.max(maxAbsDiff[key], Math.abs(got[i] - expected[key][i]));
    }
    const top = (values: ArrayLike<number>) => Array.prototype.indexOf.call(values, Math.max(...Array.from(values)));
    sameTopClass &&= top(expected.probabilities) === top(out[BACKBONE_ONNX_OUTPUTS.probabilities].data);
  }
  return { frames: PARITY_FRAMES, tfjsBackend: tfjs.backend, maxAbsDiff, sameTopClass };
}

/** Deterministic frames of different kinds (a gradient, stripes, noise, flat): a layout mistake shows on some. */
function parityFrames(): Uint8Array[] {
  const size = NSFW_INPUT_SIZE;
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const frame = (value: (x: number, y: number, c: number) => number) => {
    const rgb = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) for (let c = 0; c < 3; c++) rgb[(y * size + x) * 3 + c] = value(x, y, c);
    return rgb;
  };
  return [
    frame((x, y, c) => (x + y * (c + 1)) % 256),
    frame((x, y, c) => ((Math.floor(x / 7) + Math.floor(y / 11) + c) % 2 ? 230 : 20)),
    frame(() => Math.floor(random() * 256)),
    frame((x, y, c) => [200, 120, 90][c]),
  ].slice(0, PARITY_FRAMES);
}
