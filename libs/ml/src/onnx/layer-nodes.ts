import type { LayersModel } from '@tensorflow/tfjs';
import type { onnx } from 'onnx-proto';
import { floatAttribute, floatTensor, intAttribute, intsAttribute, int64Tensor, node } from './proto-builders';

/*
 * One tfjs layer as ONNX nodes: the pieces layersToOnnxGraph puts together.
 * tfjs works in NHWC; these nodes work in NCHW (what ONNX's Conv and pools
 * take), so every 4-D value here is NCHW and every 2-D one [N, features].
 * Weights are converted once, here: kernels HWIO → OIHW, depthwise kernels
 * H W C M → (C·M, 1, H, W) with group C, so the graph holds no Transpose
 * between layers.
 */

export type Layer = LayersModel['layers'][number];
type Config = Record<string, unknown>;

/** A layer's output in the ONNX graph: its name and its dimensions after the batch, in ONNX's order ([C, H, W] or [features]). */
export interface OnnxValue {
  name: string;
  dims: number[];
}

/** Nodes and initializers as they are written, in order; initializers shared by value (Clip's bounds) are made once. */
export class GraphParts {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private readonly scalars = new Map<number, string>();

  add(opType: string, name: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): void {
    this.nodes.push(node(opType, name, input, output, attribute));
  }

  weights(name: string, dims: number[], values: Float32Array): string {
    this.initializers.push(floatTensor(name, dims, values));
    return name;
  }

  /** A float scalar initializer, one per value. */
  scalar(value: number): string {
    let name = this.scalars.get(value);
    if (!name) {
      name = `constant/scalar_${this.scalars.size}`;
      this.scalars.set(value, name);
      this.initializers.push(floatTensor(name, [], Float32Array.of(value)));
    }
    return name;
  }

  int64s(name: string, values: number[]): string {
    this.initializers.push(int64Tensor(name, [values.length], values));
    return name;
  }
}

/** The layer's weights as float32 arrays: getWeights() hands back the model's own variables, which must not be disposed. */
export function weightsOf(layer: Layer): Float32Array[] {
  return layer.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** A per-output-channel affine map folded into a convolution: y = scale · conv(x) + shift. */
export interface ChannelAffine {
  scale: Float64Array;
  shift: Float64Array;
}

/**
 * BatchNormalization at inference as the affine map it is:
 * gamma · (x − mean) / sqrt(var + eps) + beta, computed in doubles once.
 */
export function batchNormAffine(layer: Layer): ChannelAffine {
  const config = layer.getConfig() as Config;
  checkChannelsLastAxis(layer, config.axis);
  const weights = weightsOf(layer);
  // getWeights order: gamma (when scale), beta (when center), moving mean, moving variance.
  const gamma = config.scale === false ? null : weights.shift();
  const beta = config.center === false ? null : weights.shift();
  const [mean, variance] = weights;
  const epsilon = Number(config.epsilon);
  const scale = new Float64Array(mean.length);
  const shift = new Float64Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    scale[c] = (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + epsilon);
    shift[c] = (beta ? beta[c] : 0) - mean[c] * scale[c];
  }
  return { scale, shift };
}

/** BatchNormalization as an ONNX node, where it could not be folded into a convolution. */
export function batchNormNode(parts: GraphParts, layer: Layer, input: OnnxValue): OnnxValue {
  const { scale, shift } = batchNormAffine(layer);
  // ONNX's form with mean 0, variance 1 − eps: y = scale · x / sqrt(1) + shift, the folded affine map itself.
  const channels = scale.length;
  const epsilon = 1e-5;
  parts.add('BatchNormalization', layer.name, [
    input.name,
    parts.weights(`${layer.name}/scale`, [channels], Float32Array.from(scale)),
    parts.weights(`${layer.name}/shift`, [channels], Float32Array.from(shift)),
    parts.weights(`${layer.name}/mean`, [channels], new Float32Array(channels)),
    parts.weights(`${layer.name}/variance`, [channels], new Float32Array(channels).fill(1 - epsilon)),
  ], [layer.name], [floatAttribute('epsilon', epsilon)]);
  return { name: layer.name, dims: input.dims };
}

/** Padding [top, bottom, left, right] that a ZeroPadding2D before a convolution adds. */
export type SpatialPads = [number, number, number, number];

export function zeroPaddingOf(layer: Layer): SpatialPads {
  const config = layer.getConfig() as Config;
  checkChannelsLast(layer, config.dataFormat);
  const [[top, bottom], [left, right]] = config.padding as [[number, number], [number, number]];
  return [top, bottom, left, right];
}

/** A ZeroPadding2D that could not be folded into the convolution after it. */
export function padNode(parts: GraphParts, layer: Layer, input: OnnxValue): OnnxValue {
  const [top, bottom, left, right] = zeroPaddingOf(layer);
  const pads = parts.int64s(`${layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  parts.add('Pad', layer.name, [input.name, pads], [layer.name]);
  const [c, h, w] = input.dims;
  return { name: layer.name, dims: [c, h + top + bottom, w + left + right] };
}

/**
 * TensorFlow's padding for one spatial axis: 'valid' none; 'same' enough for
 * ceil(size / stride) outputs, the odd pixel at the end (TF pads
 * asymmetrically, more after than before). That is ONNX's SAME_UPPER split,
 * but written out as explicit pads: a folded ZeroPadding2D adds to them,
 * and the graph then says exactly which pixels each output reads.
 */
export function tfPadding(padding: unknown, size: number, kernel: number, stride: number, dilation: number): [number, number] {
  if (![size, kernel, stride, dilation].every((n) => Number.isInteger(n) && n > 0)) throw new Error(`padding: bad sizes ${[size, kernel, stride, dilation].join(', ')}`);
  if (padding === 'valid') return [0, 0];
  if (padding !== 'same') throw new Error(`padding ${String(padding)} is not supported`);
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Conv2D or DepthwiseConv2D (NHWC, kernel HWIO or H W C M) as an ONNX Conv,
 * with a ZeroPadding2D before it and a BatchNormalization after it folded in
 * when the caller found them. `input` is the value before any folded padding;
 * `inputHW` is the size the layer itself sees (after the padding).
 */
export function convolutionNodes(
  parts: GraphParts,
  layer: Layer,
  input: OnnxValue,
  inputHW: [number, number],
  fold: { pads?: SpatialPads; affine?: ChannelAffine; output: string },
): OnnxValue {
  const config = layer.getConfig() as Config;
  checkChannelsLast(layer, config.dataFormat);
  const depthwise = layer.getClassName() === 'DepthwiseConv2D';
  const [kh, kw] = config.kernelSize as number[];
  const strides = config.strides as number[];
  const dilations = (config.dilationRate as number[] | undefined) ?? [1, 1];
  const [kernel, bias] = weightsOf(layer);
  const channelsIn = input.dims[0];
  const multiplier = depthwise ? Number(config.depthMultiplier ?? 1) : 0;
  const channelsOut = depthwise ? channelsIn * multiplier : Number(config.filters);
  const perOutput = depthwise ? kh * kw : kh * kw * channelsIn;
  if (kernel.length !== channelsOut * perOutput) throw new Error(`layer ${layer.name}: kernel has ${kernel.length} values, expected ${channelsOut * perOutput}`);

  const scale = (o: number) => (fold.affine ? fold.affine.scale[o] : 1);
  const oihw = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < channelsIn; i++) {
        if (depthwise) {
          for (let m = 0; m < multiplier; m++) {
            const o = i * multiplier + m;
            oihw[(o * kh + y) * kw + x] = kernel[((y * kw + x) * channelsIn + i) * multiplier + m] * scale(o);
          }
          continue;
        }
        for (let o = 0; o < channelsOut; o++) {
          oihw[((o * channelsIn + i) * kh + y) * kw + x] = kernel[((y * kw + x) * channelsIn + i) * channelsOut + o] * scale(o);
        }
      }
    }
  }
  const biased = config.useBias !== false || fold.affine;
  const inputs = [input.name, parts.weights(`${layer.name}/kernel`, [channelsOut, depthwise ? 1 : channelsIn, kh, kw], oihw)];
  if (biased) {
    const b = new Float32Array(channelsOut);
    for (let o = 0; o < channelsOut; o++) b[o] = (bias ? bias[o] : 0) * scale(o) + (fold.affine ? fold.affine.shift[o] : 0);
    inputs.push(parts.weights(`${layer.name}/bias`, [channelsOut], b));
  }

  const [top, bottom] = tfPadding(config.padding, inputHW[0], kh, strides[0], dilations[0]);
  const [left, right] = tfPadding(config.padding, inputHW[1], kw, strides[1], dilations[1]);
  const [padTop, padBottom, padLeft, padRight] = fold.pads ?? [0, 0, 0, 0];
  const pads = [top + padTop, left + padLeft, bottom + padBottom, right + padRight];
  const outHW = [0, 1].map((axis) => {
    const padded = input.dims[axis + 1] + pads[axis] + pads[axis + 2];
    const span = ((axis === 0 ? kh : kw) - 1) * dilations[axis] + 1;
    return Math.floor((padded - span) / strides[axis]) + 1;
  });

  const activation = String(config.activation ?? 'linear');
  const linear = activation === 'linear' ? fold.output : `${fold.output}/linear`;
  parts.add('Conv', layer.name, inputs, [linear], [
    intsAttribute('kernel_shape', [kh, kw]),
    intsAttribute('strides', strides),
    intsAttribute('dilations', dilations),
    intsAttribute('pads', pads),
    intAttribute('group', depthwise ? channelsIn : 1),
  ]);
  activationNode(parts, activation, linear, fold.output, 4);
  return { name: fold.output, dims: [channelsOut, outHW[0], outHW[1]] };
}

/** Dense on [N, features]: Gemm with the kernel as tfjs stores it ([inputs, units]), then its activation. */
export function denseNodes(parts: GraphParts, layer: Layer, input: OnnxValue): OnnxValue {
  const config = layer.getConfig() as Config;
  if (input.dims.length !== 1) throw new Error(`layer ${layer.name}: Dense on a ${input.dims.length + 1}-D input is not supported`);
  const [kernel, bias] = weightsOf(layer);
  const units = Number(config.units);
  const inputs = [input.name, parts.weights(`${layer.name}/kernel`, [input.dims[0], units], kernel)];
  if (bias) inputs.push(parts.weights(`${layer.name}/bias`, [units], bias));
  const activation = String(config.activation ?? 'linear');
  const linear = activation === 'linear' ? layer.name : `${layer.name}/linear`;
  parts.add('Gemm', layer.name, inputs, [linear]);
  activationNode(parts, activation, linear, layer.name, 2);
  return { name: layer.name, dims: [units] };
}

/** The activations tfjs names in a layer's config; softmax over the features (the channel axis of a 4-D value). */
export function activationNode(parts: GraphParts, activation: string, input: string, output: string, rank: number): void {
  const name = `${output}/${activation}`;
  switch (activation) {
    case 'linear':
      if (input !== output) parts.add('Identity', name, [input], [output]);
      return;
    case 'relu':
      return parts.add('Relu', name, [input], [output]);
    case 'relu6':
      return parts.add('Clip', name, [input, parts.scalar(0), parts.scalar(6)], [output]);
    case 'sigmoid':
      return parts.add('Sigmoid', name, [input], [output]);
    case 'tanh':
      return parts.add('Tanh', name, [input], [output]);
    case 'softmax':
      return parts.add('Softmax', name, [input], [output], [intAttribute('axis', rank === 4 ? 1 : -1)]);
    default:
      throw new Error(`activation ${activation} is not supported`);
  }
}

/** AveragePooling2D or MaxPooling2D with TensorFlow's padding; an average leaves padded cells out of the count, as TF does. */
export function poolNode(parts: GraphParts, layer: Layer, input: OnnxValue): OnnxValue {
  const config = layer.getConfig() as Config;
  checkChannelsLast(layer, config.dataFormat);
  const [kh, kw] = config.poolSize as number[];
  const strides = (config.strides as number[] | null) ?? [kh, kw];
  const [c, h, w] = input.dims;
  const [top, bottom] = tfPadding(config.padding, h, kh, strides[0], 1);
  const [left, right] = tfPadding(config.padding, w, kw, strides[1], 1);
  const average = layer.getClassName() === 'AveragePooling2D';
  parts.add(average ? 'AveragePool' : 'MaxPool', layer.name, [input.name], [layer.name], [
    intsAttribute('kernel_shape', [kh, kw]),
    intsAttribute('strides', strides),
    intsAttribute('pads', [top, left, bottom, right]),
    ...(average ? [intAttribute('count_include_pad', 0)] : []),
  ]);
  const out = (size: number, k: number, s: number, before: number, after: number) => Math.floor((size + before + after - k) / s) + 1;
  return { name: layer.name, dims: [c, out(h, kh, strides[0], top, bottom), out(w, kw, strides[1], left, right)] };
}

/** Flatten in tfjs's order: NHWC's, channels fastest. A 1×1 map needs no transpose; a larger one goes back to NHWC first. */
export function flattenNodes(parts: GraphParts, layer: Layer, input: OnnxValue): OnnxValue {
  if (input.dims.length === 1) return input;
  let source = input.name;
  if (input.dims.slice(1).some((d) => d !== 1)) {
    source = `${layer.name}/nhwc`;
    parts.add('Transpose', source, [input.name], [source], [intsAttribute('perm', [0, 2, 3, 1])]);
  }
  parts.add('Flatten', layer.name, [source], [layer.name], [intAttribute('axis', 1)]);
  return { name: layer.name, dims: [input.dims.reduce((a, b) => a * b, 1)] };
}

function checkChannelsLast(layer: Layer, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channelsLast') {
    throw new Error(`layer ${layer.name}: dataFormat ${String(dataFormat)} is not supported (channelsLast only)`);
  }
}

function checkChannelsLastAxis(layer: Layer, axis: unknown): void {
  if (axis !== -1 && axis !== 3) throw new Error(`layer ${layer.name}: BatchNormalization over axis ${String(axis)} is not supported (the channels, -1)`);
}
