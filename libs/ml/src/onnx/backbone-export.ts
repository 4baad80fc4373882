import { createHash } from 'node:crypto';
import { backboneId } from '../backbone';
import { MID_GEM_P, NSFW_CLASSES, NSFW_EMBEDDING_LAYERS, NsfwModel } from '../nsfw-model';
import type { TfBackendPreference } from '../tf-runtime';
import { encodeModel, graphOutput, LAYERS_TO_ONNX_BATCH_DIM, LAYERS_TO_ONNX_VERSION, layersToOnnxGraph } from './layers-to-onnx';
import { floatValueInfo, intAttribute, intsAttribute } from './proto-builders';

/*
 * The baseline backbone (nsfwjs's MobileNetV2) as one ONNX graph that gives
 * everything NsfwModel.classifyWithEmbedding gives, from one pass:
 *
 *   pixels [N, 224, 224, 3] ─ MobileNetV2 (layers-to-onnx) ─┬─ dense_3 (softmax) ─────────── probabilities [N, 5]
 *                                                           ├─ flatten_1 ──────────────────── pooled [N, 1280]
 *                                                           ├─ dense_1 (ReLU) ─────────────── dense [N, 256]
 *                                                           └─ block_13_expand_relu ─Pow 3─ReduceMean(H, W)─Pow 1/3─ midGem [N, 576]
 *
 * The input is what pixel-input.ts feeds every pixel model: float32 in
 * [0, 1], the byte / 255, NHWC. That division is exactly nsfwjs's own input
 * scaling (toFloat().div(255), no resize at 224), so the graph has nothing
 * in front of the network; the caller builds the tensor with pixelsToTensor.
 * The GeM pool is the one classifyWithEmbedding computes in tfjs: no clamp
 * and no epsilon, since the block ends in a ReLU6 (never negative).
 */

export const BACKBONE_ONNX_INPUT = 'pixels';
/** Graph output names: the probabilities, then the embedding's parts under ImageEmbedding's own names. */
export const BACKBONE_ONNX_OUTPUTS = { probabilities: 'probabilities', pooled: 'pooled', dense: 'dense', midGem: 'midGem' } as const;

export interface BackboneOnnx {
  bytes: Uint8Array;
  /** Hex sha256 of the bytes: the same model and exporter version give the same bytes. */
  sha256: string;
  /** The metadata_props written into the model (see backboneToOnnx). */
  metadata: Record<string, string>;
}

/**
 * The loaded backbone as ONNX bytes. metadata_props say what the graph is
 * and how to read it, in serving-metadata.ts's terms where they exist:
 * `backbone` (the id embeddings record, e.g. nsfwjs-mobilenetv2@4.3.0),
 * `exporter`/`exporterVersion`, `pixelsInput`/`pixelsLayout`,
 * `probabilitiesOutput` and `classes` (JSON, nsfwjs's order), and
 * `embeddingOutputs` (JSON: ImageEmbedding field → output), `midGemLayer`,
 * `midGemP`.
 */
export function backboneToOnnx(model: NsfwModel): { bytes: Uint8Array; metadata: Record<string, string> } {
  const layers = model.layersModel();
  const [classifier] = layers.outputLayers;
  const graph = layersToOnnxGraph(layers, {
    inputName: BACKBONE_ONNX_INPUT,
    keep: [NSFW_EMBEDDING_LAYERS.pooled, NSFW_EMBEDDING_LAYERS.dense, NSFW_EMBEDDING_LAYERS.mid],
  });
  const { parts } = graph;
  const outputs = [
    graphOutput(graph, BACKBONE_ONNX_OUTPUTS.probabilities, graph.valueOf(classifier.name)),
    graphOutput(graph, BACKBONE_ONNX_OUTPUTS.pooled, graph.valueOf(NSFW_EMBEDDING_LAYERS.pooled)),
    graphOutput(graph, BACKBONE_ONNX_OUTPUTS.dense, graph.valueOf(NSFW_EMBEDDING_LAYERS.dense)),
  ];

  // GeM over the middle block, NCHW here: the cube, its mean over H and W, the cube root.
  const mid = graph.valueOf(NSFW_EMBEDDING_LAYERS.mid);
  parts.add('Pow', 'midGem/cube', [mid.name, parts.scalar(MID_GEM_P)], ['midGem/cube']);
  // Opset 17: ReduceMean takes its axes as an attribute (an input from 18 on).
  parts.add('ReduceMean', 'midGem/mean', ['midGem/cube'], ['midGem/mean'], [intsAttribute('axes', [2, 3]), intAttribute('keepdims', 0)]);
  parts.add('Pow', 'midGem/root', ['midGem/mean', parts.scalar(1 / MID_GEM_P)], [BACKBONE_ONNX_OUTPUTS.midGem]);
  outputs.push(floatValueInfo(BACKBONE_ONNX_OUTPUTS.midGem, [LAYERS_TO_ONNX_BATCH_DIM, mid.dims[0]]));

  const metadata: Record<string, string> = {
    backbone: backboneId(),
    exporter: 'layers-to-onnx',
    exporterVersion: String(LAYERS_TO_ONNX_VERSION),
    pixelsInput: BACKBONE_ONNX_INPUT,
    pixelsLayout: 'nhwc',
    probabilitiesOutput: BACKBONE_ONNX_OUTPUTS.probabilities,
    classes: JSON.stringify(NSFW_CLASSES),
    embeddingOutputs: JSON.stringify({ pooled: BACKBONE_ONNX_OUTPUTS.pooled, dense: BACKBONE_ONNX_OUTPUTS.dense, midGem: BACKBONE_ONNX_OUTPUTS.midGem }),
    midGemLayer: NSFW_EMBEDDING_LAYERS.mid,
    midGemP: String(MID_GEM_P),
  };
  const bytes = encodeModel({
    graphName: 'loupe_backbone',
    docString: `${metadata.backbone}: probabilities (${NSFW_CLASSES.join(', ')}) and the embedding (pooled, dense, midGem), exported by Loupe's layers-to-onnx ${LAYERS_TO_ONNX_VERSION}.`,
    input: graph.input,
    outputs,
    parts,
    metadata,
  });
  return { bytes, metadata };
}

/**
 * nsfwjs's MobileNetV2 as ONNX, loaded from the weights inside the npm
 * package (never a URL), with the bytes' sha256. Pass a loaded model to
 * reuse it; otherwise one is loaded on `backend` (the weights are the same
 * on every backend).
 */
export async function exportBackbone(options: { model?: NsfwModel; backend?: TfBackendPreference } = {}): Promise<BackboneOnnx> {
  const model = options.model ?? (await NsfwModel.load(options.backend ?? 'wasm'));
  const { bytes, metadata } = backboneToOnnx(model);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), metadata };
}
