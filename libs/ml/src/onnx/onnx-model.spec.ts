/**
 * @jest-environment ./libs/ml/src/testing/native-typed-arrays.environment.js
 */
import { randomHeads, seededRandom } from '../testing/random-heads';
import { headsToOnnx } from './head-graph';
import { ModelFormatError } from './model-format.error';
import { OnnxModel } from './onnx-model';

describe('OnnxModel', () => {
  const head = randomHeads(seededRandom(7), { imageDim: 4, textDim: 6, policies: 2, hidden: 5 });
  const bytes = headsToOnnx(head, { candidate: 'c-1' });

  it('describes its inputs and outputs, symbolic dimensions by name', async () => {
    const model = await OnnxModel.load(bytes);
    expect(model.inputs).toEqual([
      { name: 'image', type: 'float32', shape: ['N', 4] },
      { name: 'text', type: 'float32', shape: ['N', 6] },
    ]);
    expect(model.outputs).toEqual([{ name: 'scores', type: 'float32', shape: ['N', 2] }]);
    expect(model.metadata.candidate).toBe('c-1');
    await model.release();
  });

  it('runs a batch and gives float tensors with their dimensions', async () => {
    const model = await OnnxModel.load(bytes);
    const out = await model.run({
      image: { data: new Float32Array(3 * 4).fill(0.5), dims: [3, 4] },
      text: { data: new Float32Array(3 * 6), dims: [3, 6] },
    });
    expect(Object.keys(out)).toEqual(['scores']);
    expect(out.scores.dims).toEqual([3, 2]);
    expect(out.scores.data).toHaveLength(6);
    expect(out.scores.data.every((s) => s > 0 && s < 1)).toBe(true);
    // The same item gives the same scores in every row of the batch.
    expect(Array.from(out.scores.data.subarray(4, 6))).toEqual(Array.from(out.scores.data.subarray(0, 2)));
    await model.release();
  });

  it('refuses feeds of the wrong width, and runs again afterwards', async () => {
    const model = await OnnxModel.load(bytes);
    const text = { data: new Float32Array(6), dims: [1, 6] };
    await expect(model.run({ image: { data: new Float32Array(5), dims: [1, 5] }, text })).rejects.toThrow();
    await expect(model.run({ text })).rejects.toThrow();
    const out = await model.run({ image: { data: new Float32Array(4), dims: [1, 4] }, text });
    expect(out.scores.dims).toEqual([1, 2]);
    await model.release();
  });

  it('releases once, after the runs under way, and refuses to run after', async () => {
    const model = await OnnxModel.load(bytes);
    const pending = model.run({ image: { data: new Float32Array(4), dims: [1, 4] }, text: { data: new Float32Array(6), dims: [1, 6] } });
    await Promise.all([model.release(), model.release()]);
    expect((await pending).scores.dims).toEqual([1, 2]);
    await expect(model.run({})).rejects.toThrow(/after release/);
  });

  it('answers bytes that onnxruntime cannot load with a code', async () => {
    const error = await OnnxModel.load(new TextEncoder().encode('not a model at all')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as ModelFormatError).code).toBe('model.not_onnx');
  });
});
