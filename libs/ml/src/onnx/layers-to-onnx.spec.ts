/**
 * @jest-environment ./libs/ml/src/testing/native-typed-arrays.environment.js
 */
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { onnx } from 'onnx-proto';
import { maxAbsDifference, seededRandom } from '../testing/random-heads';
import { tfRuntime, TfRuntime } from '../tf-runtime';
import { tfPadding } from './layer-nodes';
import { layersToOnnx, layersToOnnxGraph } from './layers-to-onnx';
import { OnnxModel } from './onnx-model';

jest.setTimeout(60_000);

/*
 * Every layer type the exporter converts, on odd sizes where TensorFlow's
 * padding is asymmetric, with random weights and BatchNormalization
 * statistics far from the identity: tfjs and onnxruntime must agree.
 */
function zoo({ tf }: TfRuntime): LayersModel {
  const L = tf.layers;
  const apply = (layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]) => layer.apply(x) as SymbolicTensor;
  const input = tf.input({ shape: [11, 10, 3], name: 'image' });
  // 'same' with stride 2 on 11 × 10: TF pads the rows 1 and 1, the columns 0 before and 1 after.
  let x = apply(L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: true, name: 'conv_a' }), input);
  x = apply(L.batchNormalization({ name: 'bn_a' }), x);
  x = apply(L.reLU({ maxValue: 6, name: 'relu6_a' }), x);
  const depthwise = apply(L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: false, activation: 'relu', name: 'dw_b' }), x);
  let c = apply(L.conv2d({ filters: 8, kernelSize: 1, padding: 'same', useBias: false, name: 'conv_c' }), depthwise);
  c = apply(L.batchNormalization({ name: 'bn_c' }), c);
  // After an Add: not foldable, a BatchNormalization node.
  let y = apply(L.batchNormalization({ name: 'bn_sum' }), apply(L.add({ name: 'sum' }), [c, depthwise]));
  // Read by something else than a convolution: a Pad node. (Not straight into the max pool:
  // onnxruntime would fuse the two, and a max pool's pads are not zeros.)
  y = apply(L.zeroPadding2d({ padding: [[1, 0], [0, 2]], name: 'pad_e' }), y);
  y = apply(L.reLU({ name: 'relu_e' }), y);
  y = apply(L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'max_e' }), y);
  // Folded into the convolution's pads, on top of 'same'.
  y = apply(L.zeroPadding2d({ padding: [[0, 1], [2, 0]], name: 'pad_f' }), y);
  const f = apply(L.conv2d({ filters: 6, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'relu6', name: 'conv_f' }), y);
  const pooled = apply(L.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same', name: 'avg_g' }), f);
  let h = apply(L.flatten({ name: 'flat_h' }), pooled);
  h = apply(L.dense({ units: 5, activation: 'relu', name: 'dense_h' }), h);
  h = apply(L.dropout({ rate: 0.5, name: 'drop_h' }), h);
  h = apply(L.activation({ activation: 'tanh', name: 'tanh_h' }), h);
  const probabilities = apply(L.dense({ units: 3, activation: 'softmax', name: 'probs' }), h);
  const global = apply(L.globalAveragePooling2d({ name: 'gap' }), f);
  const model = tf.model({ inputs: input, outputs: [probabilities, global, f], name: 'zoo' });

  const random = seededRandom(11);
  model.setWeights(
    model.weights.map((v) => {
      const shape = v.shape as number[];
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
      // A variance is positive.
      if (v.name.includes('moving_variance')) values.forEach((value, i) => (values[i] = 0.2 + Math.abs(value)));
      return tf.tensor(values, shape);
    }),
  );
  return model;
}

describe('layersToOnnx', () => {
  let runtime: TfRuntime;
  let model: LayersModel;
  beforeAll(async () => {
    runtime = await tfRuntime('wasm');
    model = zoo(runtime);
  });

  it('pads as TensorFlow does: nothing for valid, the odd pixel after for same', () => {
    expect(tfPadding('valid', 224, 3, 2, 1)).toEqual([0, 0]);
    expect(tfPadding('same', 224, 3, 2, 1)).toEqual([0, 1]);
    expect(tfPadding('same', 225, 3, 2, 1)).toEqual([1, 1]);
    expect(tfPadding('same', 14, 3, 1, 1)).toEqual([1, 1]);
    expect(tfPadding('same', 10, 4, 1, 1)).toEqual([1, 2]);
    expect(tfPadding('same', 9, 3, 1, 2)).toEqual([2, 2]);
    expect(() => tfPadding('causal', 9, 3, 1, 1)).toThrow(/causal/);
  });

  it('gives the outputs tfjs gives, for every layer type it converts', async () => {
    const { tf } = runtime;
    const bytes = layersToOnnx(model, { inputName: 'pixels', outputs: { probabilities: 'probs', gap: 'gap', features: 'conv_f' } });
    const session = await OnnxModel.load(bytes);
    expect(session.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['probabilities', ['N', 3]],
      ['gap', ['N', 6]],
      // A 4-D output goes back to tfjs's NHWC.
      ['features', ['N', 5, 6, 6]],
    ]);
    const random = seededRandom(5);
    const batch = 3;
    const pixels = Float32Array.from({ length: batch * 11 * 10 * 3 }, () => random());
    const expected = tf.tidy(() => (model.predict(tf.tensor4d(pixels, [batch, 11, 10, 3])) as Tensor[]).map((t) => t.dataSync() as Float32Array));
    const out = await session.run({ pixels: { data: pixels, dims: [batch, 11, 10, 3] } });
    ['probabilities', 'gap', 'features'].forEach((name, i) => {
      expect(out[name].data).toHaveLength(expected[i].length);
      expect(maxAbsDifference(out[name].data, expected[i])).toBeLessThan(1e-5);
    });
    await session.release();
  });

  it('folds a BatchNormalization into its convolution and a ZeroPadding2D into the convolution that reads it', () => {
    const graph = layersToOnnxGraph(model, { inputName: 'pixels' });
    const ops = graph.parts.nodes.map((n) => `${n.opType}:${n.name}`);
    expect(ops).toEqual(expect.arrayContaining(['Conv:conv_a', 'BatchNormalization:bn_sum', 'Pad:pad_e', 'Conv:conv_f', 'MaxPool:max_e']));
    expect(ops.filter((op) => /bn_a|bn_c|pad_f|drop_h/.test(op))).toEqual([]);
    expect(() => graph.valueOf('conv_a')).toThrow(/folded/);
    expect(graph.valueOf('bn_a').name).toBe('bn_a');
    // Kept, the convolution's own output stays: its BatchNormalization becomes a node.
    const kept = layersToOnnxGraph(model, { inputName: 'pixels', keep: ['conv_a'] });
    expect(kept.valueOf('conv_a').name).toBe('conv_a');
    expect(kept.parts.nodes.some((n) => n.opType === 'BatchNormalization' && n.name === 'bn_a')).toBe(true);
  });

  it('writes the exporter and its version, and opset 17', () => {
    const decoded = onnx.ModelProto.decode(layersToOnnx(model, { inputName: 'pixels', outputs: { probabilities: 'probs' }, metadata: { note: 'n' } }));
    expect(Number(decoded.opsetImport[0].version)).toBe(17);
    expect(Object.fromEntries(decoded.metadataProps.map((p) => [p.key, p.value]))).toEqual({ exporter: 'layers-to-onnx', exporterVersion: '1', note: 'n' });
  });

  it('refuses a layer type it does not convert, by name', () => {
    const { tf } = runtime;
    const input = tf.input({ shape: [4, 4, 2] });
    const up = tf.layers.upSampling2d({ size: [2, 2], name: 'up' }).apply(input) as SymbolicTensor;
    const other = tf.model({ inputs: input, outputs: up });
    expect(() => layersToOnnx(other, { inputName: 'pixels', outputs: { up: 'up' } })).toThrow(/up is a UpSampling2D/);
  });
});
