import type { LayersModel } from '@tensorflow/tfjs';
import { onnx } from 'onnx-proto';
import { HEADS_IR_VERSION, HEADS_OPSET } from './head-graph';
import {
  activationNode,
  batchNormAffine,
  batchNormNode,
  convolutionNodes,
  denseNodes,
  flattenNodes,
  GraphParts,
  Layer,
  OnnxValue,
  padNode,
  poolNode,
  SpatialPads,
  zeroPaddingOf,
} from './layer-nodes';
import { floatValueInfo, intsAttribute } from './proto-builders';

/*
 * A tfjs LayersModel (a functional model, as nsfwjs's MobileNetV2 is) as an
 * ONNX graph, written from the model's own layers: their class names,
 * configs and weights. No Python, no converter package: the weights are
 * the ones tfjs serves, and layer-nodes.ts says how each layer maps.
 *
 *   pixels [N, H, W, C] ─Transpose─ NCHW ─ one Conv / pool / Gemm … per layer ─ outputs
 *
 * The input is NHWC, as tfjs takes it; the graph transposes it once and
 * stays NCHW inside. Two folds keep the graph as small as the model is:
 *
 * - a BatchNormalization right after a convolution (nothing else reading the
 *   convolution's output) is folded into the convolution's kernel and bias:
 *   scale = gamma / sqrt(var + eps), kernel · scale, bias · scale + beta −
 *   mean · scale, computed in doubles and rounded once. onnxruntime would fuse
 *   them itself at its default optimisation level; folding here gives every
 *   runtime the same small graph. A BatchNormalization elsewhere becomes a
 *   BatchNormalization node.
 * - a ZeroPadding2D whose only reader is a convolution becomes that
 *   convolution's pads (zeros either way); elsewhere it is a Pad node.
 *
 * Layers converted: InputLayer, Conv2D, DepthwiseConv2D, BatchNormalization,
 * ZeroPadding2D, ReLU (max_value 6 → Clip 0..6), Activation, Add,
 * AveragePooling2D, MaxPooling2D, GlobalAveragePooling2D, Flatten, Dense
 * (linear, relu, relu6, sigmoid, tanh, softmax) and Dropout (the identity at
 * inference: no node). Other types are refused by name, never approximated.
 */

/** Bumped whenever the graph this writes changes for the same model: recorded in exported models' metadata. */
export const LAYERS_TO_ONNX_VERSION = 1;
export const LAYERS_TO_ONNX_BATCH_DIM = 'N';

export interface LayersToOnnxOptions {
  /** The graph's input: the model's input, NHWC as tfjs takes it. */
  inputName: string;
  /** Layers whose outputs the caller reads: never folded away. */
  keep?: readonly string[];
}

/** The converted layers, before they become a model: the caller adds its outputs (and any nodes of its own). */
export interface LayersGraph {
  input: onnx.IValueInfoProto;
  parts: GraphParts;
  /** The ONNX value a layer's output became. Throws for a layer folded into another (keep it to read it). */
  valueOf(layer: string): OnnxValue;
}

const CONVOLUTIONS = new Set(['Conv2D', 'DepthwiseConv2D']);

/** Converts every layer of `model` (see the file comment). Throws on a layer it cannot convert exactly. */
export function layersToOnnxGraph(model: LayersModel, options: LayersToOnnxOptions): LayersGraph {
  if (model.inputLayers.length !== 1) throw new Error(`layersToOnnx: the model has ${model.inputLayers.length} inputs, not 1`);
  const keep = new Set(options.keep ?? []);
  for (const name of keep) model.getLayer(name);
  if (model.layers.some((l) => l.name === options.inputName)) throw new Error(`layersToOnnx: the input name ${options.inputName} is a layer's name`);
  const plan = foldPlan(model, keep);
  const parts = new GraphParts();
  const values = new Map<string, OnnxValue>();
  let input: onnx.IValueInfoProto | null = null;

  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer') {
      const shape = (layer.getConfig() as { batchInputShape: (number | null)[] }).batchInputShape.slice(1) as number[];
      if (shape.some((d) => !Number.isInteger(d))) throw new Error(`layersToOnnx: the input shape [${shape.join(', ')}] is not fixed`);
      input = floatValueInfo(options.inputName, [LAYERS_TO_ONNX_BATCH_DIM, ...shape]);
      if (shape.length === 3) {
        parts.add('Transpose', layer.name, [options.inputName], [layer.name], [intsAttribute('perm', [0, 3, 1, 2])]);
        values.set(layer.name, { name: layer.name, dims: [shape[2], shape[0], shape[1]] });
      } else if (shape.length === 1) {
        parts.add('Identity', layer.name, [options.inputName], [layer.name]);
        values.set(layer.name, { name: layer.name, dims: shape });
      } else {
        throw new Error(`layersToOnnx: a ${shape.length + 1}-D input is not supported`);
      }
      continue;
    }
    const inbound = inboundLayers(layer);
    const inputs = inbound.map((l) => {
      const value = values.get(l.name);
      if (!value) throw new Error(`layersToOnnx: layer ${layer.name} reads ${l.name}, which comes later (layers out of order?)`);
      return value;
    });
    const one = (): OnnxValue => {
      if (inputs.length !== 1) throw new Error(`layersToOnnx: layer ${layer.name} (${className}) has ${inputs.length} inputs`);
      return inputs[0];
    };
    values.set(layer.name, convertLayer(parts, layer, className, one, inputs, plan));
  }
  if (!input) throw new Error('layersToOnnx: the model has no InputLayer');

  return {
    input,
    parts,
    valueOf(name: string): OnnxValue {
      const value = values.get(name);
      if (!value || plan.unreadable.has(name)) {
        throw new Error(`layersToOnnx: layer ${name} was folded into another; list it in keep to read it`);
      }
      return value;
    },
  };
}

function convertLayer(parts: GraphParts, layer: Layer, className: string, one: () => OnnxValue, inputs: OnnxValue[], plan: FoldPlan): OnnxValue {
  switch (className) {
    case 'Conv2D':
    case 'DepthwiseConv2D': {
      // The shapes of a node's inputs: one shape, or a list of them (tfjs keeps a list even for one input).
      const shapes = inboundNode(layer).inputShapes as (number | null)[] | (number | null)[][];
      const inputShape = (Array.isArray(shapes[0]) ? shapes[0] : shapes) as (number | null)[];
      const batchNorm = plan.batchNormAfter.get(layer.name);
      return convolutionNodes(parts, layer, one(), [Number(inputShape[1]), Number(inputShape[2])], {
        pads: plan.padsBefore.get(layer.name),
        affine: batchNorm ? batchNormAffine(batchNorm) : undefined,
        // The folded BatchNormalization's output is the convolution's: it keeps the name readers know.
        output: batchNorm ? batchNorm.name : layer.name,
      });
    }
    case 'BatchNormalization':
      return plan.folded.has(layer.name) ? one() : batchNormNode(parts, layer, one());
    case 'ZeroPadding2D':
      // Folded: the convolution reads the unpadded value and pads it itself.
      return plan.folded.has(layer.name) ? one() : padNode(parts, layer, one());
    case 'ReLU': {
      const maxValue = (layer.getConfig() as { maxValue?: number | null }).maxValue;
      const input = one();
      if (maxValue === null || maxValue === undefined) parts.add('Relu', layer.name, [input.name], [layer.name]);
      else parts.add('Clip', layer.name, [input.name, parts.scalar(0), parts.scalar(maxValue)], [layer.name]);
      return { name: layer.name, dims: input.dims };
    }
    case 'Activation': {
      const input = one();
      activationNode(parts, String((layer.getConfig() as { activation?: string }).activation), input.name, layer.name, input.dims.length + 1);
      return { name: layer.name, dims: input.dims };
    }
    case 'Add': {
      if (inputs.length < 2 || inputs.some((v) => v.dims.join() !== inputs[0].dims.join())) {
        throw new Error(`layersToOnnx: Add ${layer.name} needs 2 or more inputs of one shape`);
      }
      parts.add(inputs.length === 2 ? 'Add' : 'Sum', layer.name, inputs.map((v) => v.name), [layer.name]);
      return { name: layer.name, dims: inputs[0].dims };
    }
    case 'AveragePooling2D':
    case 'MaxPooling2D':
      return poolNode(parts, layer, one());
    case 'GlobalAveragePooling2D': {
      const input = one();
      if ((layer.getConfig() as { keepDims?: boolean }).keepDims) throw new Error(`layersToOnnx: ${layer.name} keeps its dimensions: not supported`);
      parts.add('GlobalAveragePool', `${layer.name}/pool`, [input.name], [`${layer.name}/pool`]);
      return flattenNodes(parts, layer, { name: `${layer.name}/pool`, dims: [input.dims[0], 1, 1] });
    }
    case 'Flatten':
      return flattenNodes(parts, layer, one());
    case 'Dense':
      return denseNodes(parts, layer, one());
    case 'Dropout':
      return one();
    default:
      throw new Error(`layersToOnnx: layer ${layer.name} is a ${className}, which the exporter does not convert`);
  }
}

interface FoldPlan {
  /** A convolution's BatchNormalization, folded into its weights. */
  batchNormAfter: Map<string, Layer>;
  /** A convolution's ZeroPadding2D, folded into its pads. */
  padsBefore: Map<string, SpatialPads>;
  /** Layers that emit no node of their own. */
  folded: Set<string>;
  /** Layers whose own output the graph never has: a convolution whose BatchNormalization it took, a padding folded away. */
  unreadable: Set<string>;
}

/** Which BatchNormalization and ZeroPadding2D layers fold into a convolution: only where the convolution is their sole neighbour. */
function foldPlan(model: LayersModel, keep: Set<string>): FoldPlan {
  const readers = new Map<string, number>();
  const read = (name: string) => readers.set(name, (readers.get(name) ?? 0) + 1);
  for (const layer of model.layers) if (layer.getClassName() !== 'InputLayer') inboundLayers(layer).forEach((l) => read(l.name));
  for (const layer of model.outputLayers) read(layer.name);
  for (const name of keep) read(name);
  const soleReader = (name: string) => readers.get(name) === 1;

  const plan: FoldPlan = { batchNormAfter: new Map(), padsBefore: new Map(), folded: new Set(), unreadable: new Set() };
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'BatchNormalization') {
      const [source] = inboundLayers(layer);
      const linear = String((source.getConfig() as { activation?: string }).activation ?? 'linear') === 'linear';
      if (CONVOLUTIONS.has(source.getClassName()) && linear && soleReader(source.name) && inboundLayers(layer).length === 1) {
        plan.batchNormAfter.set(source.name, layer);
        plan.folded.add(layer.name);
        plan.unreadable.add(source.name);
      }
    }
    if (CONVOLUTIONS.has(className)) {
      const [source] = inboundLayers(layer);
      if (source.getClassName() === 'ZeroPadding2D' && soleReader(source.name)) {
        plan.padsBefore.set(layer.name, zeroPaddingOf(source));
        plan.folded.add(source.name);
        plan.unreadable.add(source.name);
      }
    }
  }
  return plan;
}

function inboundNode(layer: Layer) {
  // A layer called twice (shared weights) has a node per call: which call the graph means would be a guess.
  if (layer.inboundNodes.length !== 1) throw new Error(`layersToOnnx: layer ${layer.name} is used ${layer.inboundNodes.length} times`);
  return layer.inboundNodes[0];
}

function inboundLayers(layer: Layer): Layer[] {
  return inboundNode(layer).inboundLayers;
}

/** A graph's parts as an encoded ModelProto (opset and IR version as the heads' graphs). */
export function encodeModel(options: {
  graphName: string;
  docString: string;
  input: onnx.IValueInfoProto;
  outputs: onnx.IValueInfoProto[];
  parts: GraphParts;
  metadata: Record<string, string>;
}): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: HEADS_IR_VERSION,
    opsetImport: [{ domain: '', version: HEADS_OPSET }],
    producerName: 'loupe',
    producerVersion: `layers-to-onnx ${LAYERS_TO_ONNX_VERSION}`,
    graph: {
      name: options.graphName,
      docString: options.docString,
      input: [options.input],
      output: options.outputs,
      initializer: options.parts.initializers,
      node: options.parts.nodes,
    },
    metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
  };
  // A copy of its own: protobufjs may hand back a slice of Node's shared Buffer pool.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

/**
 * The whole model as ONNX: input `inputName` (NHWC) and one output per entry
 * of `outputs` (graph output name → layer name), 4-D ones in NHWC as tfjs
 * gives them. An output's name must not be a layer's (the graph's values
 * are named after the layers).
 */
export function layersToOnnx(
  model: LayersModel,
  options: { inputName: string; outputs: Record<string, string>; metadata?: Record<string, string> },
): Uint8Array {
  const graph = layersToOnnxGraph(model, { inputName: options.inputName, keep: Object.values(options.outputs) });
  const infos = Object.entries(options.outputs).map(([name, layer]) => graphOutput(graph, name, graph.valueOf(layer)));
  return encodeModel({
    graphName: model.name,
    docString: `tfjs LayersModel ${model.name}, by Loupe's layers-to-onnx ${LAYERS_TO_ONNX_VERSION}.`,
    input: graph.input,
    outputs: infos,
    parts: graph.parts,
    metadata: { exporter: 'layers-to-onnx', exporterVersion: String(LAYERS_TO_ONNX_VERSION), ...options.metadata },
  });
}

/**
 * Names a value as a graph output, in tfjs's layout: a 4-D value goes back
 * to NHWC; another is renamed by an Identity when the names differ
 * (onnxruntime removes it).
 */
export function graphOutput(graph: LayersGraph, name: string, value: OnnxValue): onnx.IValueInfoProto {
  if (name === value.name && value.dims.length === 3) throw new Error(`layersToOnnx: output ${name} is a 4-D layer's own name; give the output another`);
  if (value.dims.length === 3) {
    graph.parts.add('Transpose', `output/${name}`, [value.name], [name], [intsAttribute('perm', [0, 2, 3, 1])]);
    const [c, h, w] = value.dims;
    return floatValueInfo(name, [LAYERS_TO_ONNX_BATCH_DIM, h, w, c]);
  }
  if (value.name !== name) graph.parts.add('Identity', `output/${name}`, [value.name], [name]);
  return floatValueInfo(name, [LAYERS_TO_ONNX_BATCH_DIM, ...value.dims]);
}
