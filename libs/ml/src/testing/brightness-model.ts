import { onnx } from 'onnx-proto';
import { HEADS_IR_VERSION, HEADS_OPSET } from '../onnx/head-graph';
import { PIXEL_SHAPES, PixelLayout } from '../onnx/pixel-input';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

export interface BrightnessModelOptions {
  layout?: PixelLayout;
  /** The dimensions after the batch; the layout's 224 × 224 RGB by default. */
  dims?: number[];
  /** Only this channel's mean (0 red, 1 green, 2 blue), found where the layout puts channels; every value's mean by default. */
  channel?: 0 | 1 | 2;
  /** Per output column: score = sigmoid(weight · mean pixel + bias). */
  weights?: number[];
  biases?: number[];
  /** Without the sigmoid, the "scores" are the logits: not in [0, 1], as an upload must not give. */
  sigmoid?: boolean;
  producer?: string;
}

/**
 * An image model as another pipeline might export it, small enough to read:
 * the mean of every pixel value (or of one channel's), then one sigmoid per
 * output column. Its
 * scores are a known function of the image (with a positive weight, the
 * brighter the higher), so a test can tell that a model was given the
 * item's real pixels, in [0, 1].
 *
 *   pixels [N, …] ─(Slice one channel)─Flatten─ReduceMean(axis 1)─ [N, 1] ─Gemm(W [1, P], b [P])─Sigmoid─ scores [N, P]
 *
 * With a channel, the graph reads the layout as a real model would: fed the
 * other layout, it averages the wrong values.
 */
export function brightnessModel(options: BrightnessModelOptions = {}): Uint8Array {
  const weights = options.weights ?? [8];
  const biases = options.biases ?? weights.map(() => -4);
  const layout = options.layout ?? 'nhwc';
  const dims = options.dims ?? [...PIXEL_SHAPES[layout]];
  const tensor = (name: string, shape: number[], values: number[]): onnx.ITensorProto => ({ name, dims: shape, dataType: FLOAT, floatData: values });
  const int64 = (name: string, value: number): onnx.ITensorProto => ({ name, dims: [1], dataType: onnx.TensorProto.DataType.INT64, int64Data: [value] });
  const channel = options.channel;
  const sliced: onnx.INodeProto[] = channel === undefined ? [] : [{ opType: 'Slice', name: 'channel', input: ['pixels', 'starts', 'ends', 'axes'], output: ['one_channel'] }];
  const model: onnx.IModelProto = {
    irVersion: HEADS_IR_VERSION,
    opsetImport: [{ domain: '', version: HEADS_OPSET }],
    producerName: options.producer ?? 'elsewhere',
    graph: {
      name: 'brightness',
      input: [value('pixels', ['batch', ...dims])],
      output: [value('probabilities', ['batch', weights.length])],
      initializer: [
        tensor('W', [1, weights.length], weights),
        tensor('b', [weights.length], biases),
        ...(channel === undefined ? [] : [int64('starts', channel), int64('ends', channel + 1), int64('axes', layout === 'nhwc' ? 3 : 1)]),
      ],
      node: [
        ...sliced,
        { opType: 'Flatten', name: 'flatten', input: [channel === undefined ? 'pixels' : 'one_channel'], output: ['flat'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
        // Opset 17: ReduceMean takes its axes as an attribute (an input from 18 on).
        { opType: 'ReduceMean', name: 'mean', input: ['flat'], output: ['brightness'], attribute: [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] }, { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
        { opType: 'Gemm', name: 'linear', input: ['brightness', 'W', 'b'], output: [options.sigmoid === false ? 'probabilities' : 'logits'] },
        ...(options.sigmoid === false ? [] : [{ opType: 'Sigmoid', name: 'sigmoid', input: ['logits'], output: ['probabilities'] }]),
      ],
    },
  };
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

/** What the brightness model gives a stored frame (RGB bytes, channels last): the reference its runs are compared with. */
export function brightnessScores(frame: Uint8Array, options: Pick<BrightnessModelOptions, 'channel' | 'weights' | 'biases'> = {}): number[] {
  const weights = options.weights ?? [8];
  const biases = options.biases ?? weights.map(() => -4);
  let sum = 0;
  let count = 0;
  frame.forEach((byte, i) => {
    if (options.channel !== undefined && i % 3 !== options.channel) return;
    sum += byte / 255;
    count++;
  });
  const mean = sum / count;
  return weights.map((w, i) => 1 / (1 + Math.exp(-(w * mean + biases[i]))));
}

function value(name: string, dims: (number | string)[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
}
