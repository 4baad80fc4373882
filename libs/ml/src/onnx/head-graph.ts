import { onnx } from 'onnx-proto';
import type { HeadLayer, HeadWeights } from '../heads/head-weights';
import { floatTensor, floatValueInfo, intAttribute, node } from './proto-builders';

/*
 * Writes a HeadWeights as an ONNX model: the registry's artefact, served by
 * onnxruntime-node. The graph is the reference forward pass (forwardHeads)
 * node for node:
 *
 *   image ─Sub(image_mean)─Mul(image_scale)─┐
 *                                          Concat(axis 1)─Gemm─Relu─…─Gemm─Sigmoid─ scores
 *   text ──────────────────────────────────┘
 *
 * An input of width 0 is left out of the graph (and its Sub, Mul and Concat
 * with it): ONNX allows a dimension of 0, but a caller would still have to
 * feed an empty tensor, and some runtimes refuse zero-sized inputs.
 */

/** opset 17 and IR version 8: both current in onnxruntime 1.30, and what onnx-proto's schema (ONNX 1.10) can write. */
export const HEADS_OPSET = 17;
export const HEADS_IR_VERSION = 8;
export const HEADS_PRODUCER = 'loupe';
export const HEADS_OUTPUT = 'scores';
/** The batch dimension of every input and of the output. */
export const HEADS_BATCH_DIM = 'N';

/**
 * metadata_props that headsToOnnx writes itself. `policies` and `inputs` are
 * JSON arrays, the dimensions decimal strings; a caller's metadata may not
 * reuse these keys (a silently overwritten `policies` would mislabel scores).
 */
export const HEADS_METADATA_KEYS = ['policies', 'imageFeatures', 'imageDim', 'textFeatures', 'textDim', 'inputs'] as const;

/** The heads as an ONNX ModelProto (see the file comment). Throws when the weights do not fit together. */
export function headsToOnnx(head: HeadWeights, metadata: Record<string, string>): Uint8Array {
  checkHeadWeights(head);
  const reserved = Object.keys(metadata).filter((key) => (HEADS_METADATA_KEYS as readonly string[]).includes(key));
  if (reserved.length > 0) throw new Error(`headsToOnnx: metadata keys ${reserved.join(', ')} are written from the heads themselves`);

  const inputs: onnx.IValueInfoProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  const features: string[] = [];

  if (head.imageDim > 0) {
    inputs.push(floatValue('image', head.imageDim));
    initializers.push(floatTensor('image_mean', [head.imageDim], head.imageMean));
    initializers.push(floatTensor('image_scale', [head.imageDim], head.imageScale));
    nodes.push(node('Sub', 'image_centre', ['image', 'image_mean'], ['image_centred']));
    nodes.push(node('Mul', 'image_standardise', ['image_centred', 'image_scale'], ['image_standardised']));
    features.push('image_standardised');
  }
  if (head.textDim > 0) {
    inputs.push(floatValue('text', head.textDim));
    features.push('text');
  }
  let x = features[0];
  if (features.length > 1) {
    nodes.push(node('Concat', 'features_concat', features, ['features'], [intAttribute('axis', 1)]));
    x = 'features';
  }

  head.layers.forEach((layer, i) => {
    const last = i === head.layers.length - 1;
    initializers.push(floatTensor(`layer${i}_weights`, [layer.inputs, layer.outputs], layer.weights));
    initializers.push(floatTensor(`layer${i}_bias`, [layer.outputs], layer.bias));
    // Gemm's defaults (alpha = beta = 1, no transposes) are x · W + b with W as stored: [inputs, outputs].
    nodes.push(node('Gemm', `layer${i}_gemm`, [x, `layer${i}_weights`, `layer${i}_bias`], [`layer${i}_linear`]));
    const y = last ? HEADS_OUTPUT : `layer${i}_${layer.activation}`;
    nodes.push(node(layer.activation === 'relu' ? 'Relu' : 'Sigmoid', `layer${i}_activation`, [`layer${i}_linear`], [y]));
    x = y;
  });

  const props: Record<string, string> = {
    ...metadata,
    policies: JSON.stringify(head.policies),
    imageFeatures: head.imageFeatures,
    imageDim: String(head.imageDim),
    textFeatures: head.textFeatures,
    textDim: String(head.textDim),
    inputs: JSON.stringify(inputs.map((input) => input.name)),
  };
  const model: onnx.IModelProto = {
    irVersion: HEADS_IR_VERSION,
    opsetImport: [{ domain: '', version: HEADS_OPSET }],
    producerName: HEADS_PRODUCER,
    graph: {
      name: 'loupe_heads',
      docString: `Loupe policy heads: ${head.policies.length} policies from ${describeInputs(head)}.`,
      input: inputs,
      output: [floatValue(HEADS_OUTPUT, head.policies.length)],
      initializer: initializers,
      node: nodes,
    },
    metadataProps: Object.entries(props).map(([key, value]) => ({ key, value })),
  };
  // A copy of its own: protobufjs may hand back a slice of Node's shared Buffer pool.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

/** Throws unless the dimensions chain from the inputs to one output per policy. */
export function checkHeadWeights(head: HeadWeights): void {
  const fail = (why: string): never => {
    throw new Error(`headsToOnnx: ${why}`);
  };
  const isDim = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (head.policies.length === 0) fail('no policies');
  if (new Set(head.policies).size !== head.policies.length) fail('a policy appears twice');
  if (!isDim(head.imageDim) || !isDim(head.textDim)) fail(`bad dimensions image ${head.imageDim}, text ${head.textDim}`);
  if (head.imageDim + head.textDim === 0) fail('no inputs: imageDim and textDim are both 0');
  if (head.imageMean.length !== head.imageDim || head.imageScale.length !== head.imageDim) {
    fail(`imageMean (${head.imageMean.length}) and imageScale (${head.imageScale.length}) must have imageDim (${head.imageDim}) values`);
  }
  if (head.layers.length === 0) fail('no layers');
  let width = head.imageDim + head.textDim;
  head.layers.forEach((layer: HeadLayer, i) => {
    if (layer.inputs !== width) fail(`layer ${i} takes ${layer.inputs} inputs, the layer before gives ${width}`);
    if (!isDim(layer.outputs) || layer.outputs === 0) fail(`layer ${i} has ${layer.outputs} outputs`);
    if (layer.weights.length !== layer.inputs * layer.outputs) fail(`layer ${i} has ${layer.weights.length} weights, not ${layer.inputs} x ${layer.outputs}`);
    if (layer.bias.length !== layer.outputs) fail(`layer ${i} has ${layer.bias.length} biases, not ${layer.outputs}`);
    if (layer.activation !== 'relu' && layer.activation !== 'sigmoid') fail(`layer ${i} has activation ${String(layer.activation)}`);
    width = layer.outputs;
  });
  if (width !== head.policies.length) fail(`the last layer gives ${width} scores for ${head.policies.length} policies`);
}

function describeInputs(head: HeadWeights): string {
  const parts = [];
  if (head.imageDim > 0) parts.push(`image ${head.imageFeatures} (${head.imageDim})`);
  if (head.textDim > 0) parts.push(`text ${head.textFeatures} (${head.textDim})`);
  return parts.join(' and ');
}

function floatValue(name: string, width: number): onnx.IValueInfoProto {
  return floatValueInfo(name, [HEADS_BATCH_DIM, width]);
}
