/**
 * @jest-environment ./libs/ml/src/testing/native-typed-arrays.environment.js
 */
import { onnx } from 'onnx-proto';
import { brightnessModel } from '../testing/brightness-model';
import { randomHeads, seededRandom } from '../testing/random-heads';
import { headsToOnnx } from './head-graph';
import { ModelFormatError } from './model-format.error';
import { checkSignature, inspectOnnx, OnnxInspection, OnnxIoDescription } from './onnx-inspect';
import { pixelLayoutOf } from './pixel-input';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function value(name: string, dims: (number | string)[], elemType: number = FLOAT): onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** x [N, inputs] · W [weightRows, outputs]: a graph as another exporter might write it. */
function gemmModel(options: { inputs: number; weightRows: number; outputs: number; weightsAsInput?: boolean; weights?: onnx.ITensorProto }): Uint8Array {
  const { inputs, weightRows, outputs } = options;
  const weights = options.weights ?? { name: 'W', dims: [weightRows, outputs], dataType: FLOAT, rawData: new Uint8Array(weightRows * outputs * 4) };
  const model: onnx.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'other-exporter',
    producerVersion: '2.1',
    graph: {
      name: 'g',
      // Exporters for IR < 4 listed initializers among the inputs; some still do.
      input: [value('x', ['batch', inputs]), ...(options.weightsAsInput ? [value('W', [weightRows, outputs])] : [])],
      output: [value('y', ['batch', outputs])],
      initializer: [weights],
      node: [{ opType: 'Gemm', name: 'gemm', input: ['x', 'W'], output: ['y'] }],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFormatError);
  return (error as ModelFormatError).code;
}

describe('inspectOnnx', () => {
  it('describes a heads model: inputs, output, opset, producer and metadata', async () => {
    const head = randomHeads(seededRandom(1), { imageDim: 16, textDim: 32, policies: 3 });
    const inspection = await inspectOnnx(headsToOnnx(head, { candidate: 'c-9' }));
    expect(inspection).toEqual({
      irVersion: 8,
      opset: 17,
      opsets: { '': 17 },
      producer: { name: 'loupe', version: '' },
      inputs: [
        { name: 'image', elemType: 'float32', dims: ['N', 16] },
        { name: 'text', elemType: 'float32', dims: ['N', 32] },
      ],
      outputs: [{ name: 'scores', elemType: 'float32', dims: ['N', 3] }],
      metadata: expect.objectContaining({ candidate: 'c-9', policies: '["policy-1","policy-2","policy-3"]' }),
    });
  });

  it('leaves out initializers that the graph also lists as inputs', async () => {
    const inspection = await inspectOnnx(gemmModel({ inputs: 8, weightRows: 8, outputs: 3, weightsAsInput: true }));
    expect(inspection.inputs).toEqual([{ name: 'x', elemType: 'float32', dims: ['batch', 8] }]);
    expect(inspection).toMatchObject({ irVersion: 7, opset: 13, producer: { name: 'other-exporter', version: '2.1' } });
  });

  it('answers bytes that are not a ModelProto with model.not_onnx', async () => {
    const random = seededRandom(3);
    const garbage = [
      new Uint8Array(0),
      new TextEncoder().encode('{"format": "keras", "layers": []}'),
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      // A ModelProto with an IR version and nothing else.
      onnx.ModelProto.encode({ irVersion: 8 }).finish(),
      ...Array.from({ length: 50 }, (_, i) => Uint8Array.from({ length: 16 + i * 37 }, () => Math.floor(random() * 256))),
    ];
    for (const bytes of garbage) expect(await codeOf(inspectOnnx(bytes))).toBe('model.not_onnx');
  });

  it('answers a truncated model with a code', async () => {
    const bytes = headsToOnnx(randomHeads(seededRandom(4), { imageDim: 16, textDim: 32, policies: 3 }), {});
    for (const length of [1, 10, Math.floor(bytes.length / 2), bytes.length - 1]) {
      expect(['model.not_onnx', 'model.load_failed']).toContain(await codeOf(inspectOnnx(bytes.subarray(0, length))));
    }
  });

  it('answers a well-formed graph whose Gemm shapes do not fit with model.load_failed', async () => {
    const error = await inspectOnnx(gemmModel({ inputs: 8, weightRows: 5, outputs: 3 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as ModelFormatError).code).toBe('model.load_failed');
    expect((error as ModelFormatError).message).toMatch(/Gemm/);
  });

  it('answers an operator onnxruntime does not know with model.load_failed', async () => {
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'g', input: [value('x', ['N', 2])], output: [value('y', ['N', 2])], node: [{ opType: 'NoSuchOp', input: ['x'], output: ['y'] }] },
    }).finish();
    expect(await codeOf(inspectOnnx(bytes))).toBe('model.load_failed');
  });

  it('refuses weights kept in an external file, which onnxruntime would read from the working directory', async () => {
    const weights: onnx.ITensorProto = {
      name: 'W',
      dims: [8, 3],
      dataType: FLOAT,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: 'package.json' },
        { key: 'length', value: '96' },
      ],
    };
    expect(await codeOf(inspectOnnx(gemmModel({ inputs: 8, weightRows: 8, outputs: 3, weights })))).toBe('model.external_data');
  });
});

describe('checkSignature', () => {
  const io = (name: string, dims: OnnxIoDescription['dims'], elemType = 'float32'): OnnxIoDescription => ({ name, elemType, dims });
  const inspection = (inputs: OnnxIoDescription[], outputs: OnnxIoDescription[]): OnnxInspection => ({
    irVersion: 8,
    opset: 17,
    opsets: { '': 17 },
    producer: { name: 'x', version: '' },
    inputs,
    outputs,
    metadata: {},
  });
  const policies = ['nudity', 'violence', 'spam'];

  it('accepts [N, inputDim] → [N, policies] for embeddings and text, whatever the batch dimension is called', async () => {
    const text = await inspectOnnx(headsToOnnx(randomHeads(seededRandom(5), { imageDim: 0, textDim: 64, policies: 3 }), {}));
    expect(checkSignature(text, { input: 'text', inputDim: 64, outputs: policies })).toEqual([]);
    const open = inspection([io('e', [null, 1280])], [io('p', ['batch_size', 3])]);
    expect(checkSignature(open, { input: 'embedding', inputDim: 1280, outputs: policies })).toEqual([]);
  });

  it('accepts images NCHW or NHWC at 224 × 224', () => {
    for (const dims of [['N', 3, 224, 224], ['N', 224, 224, 3]]) {
      expect(checkSignature(inspection([io('pixels', dims)], [io('p', ['N', 3])]), { input: 'image', inputDim: 0, outputs: policies })).toEqual([]);
    }
    const wrong = checkSignature(inspection([io('pixels', ['N', 3, 256, 256])], [io('p', ['N', 3])]), { input: 'image', inputDim: 0, outputs: policies });
    expect(wrong).toEqual(['input "pixels" is [N, 3, 256, 256]; it must be [N, 3, 224, 224] or [N, 224, 224, 3]']);
  });

  it('lists what is wrong with an image input: its size, rank, sides, element type or batch', () => {
    const check = (input: OnnxIoDescription, outputs = ['N', 3]) => checkSignature(inspection([input], [io('p', outputs)]), { input: 'image', inputDim: 0, outputs: policies });
    const shapes = 'it must be [N, 3, 224, 224] or [N, 224, 224, 3]';
    expect(check(io('x', ['N', 3, 100, 100]))).toEqual([`input "x" is [N, 3, 100, 100]; ${shapes}`]);
    expect(check(io('x', ['N', 150528]))).toEqual([`input "x" is [N, 150528]; ${shapes}`]);
    expect(check(io('x', ['N', 3, 'height', 'width']))).toEqual([`input "x" is [N, 3, height, width]; ${shapes}`]);
    expect(check(io('x', [1, 224, 224, 3], 'uint8'), ['N', 2])).toEqual([
      'input "x" is uint8, not float32',
      'input "x" has a fixed batch size of 1; its first dimension must be symbolic',
      'output "p" is [N, 2]; it must be [N, 3] (one score per policy)',
    ]);
    expect(check(io('x', null))).toEqual([`input "x" has no declared shape; ${shapes}`]);
  });

  it('accepts an image model as another exporter writes it, and its layout is read from its input', async () => {
    for (const layout of ['nhwc', 'nchw'] as const) {
      const described = await inspectOnnx(brightnessModel({ layout, weights: [1, 2, 3] }));
      expect(checkSignature(described, { input: 'image', inputDim: 0, outputs: policies })).toEqual([]);
      expect(pixelLayoutOf(described.inputs[0].dims)).toBe(layout);
    }
    const small = await inspectOnnx(brightnessModel({ dims: [3, 100, 100] }));
    expect(checkSignature(small, { input: 'image', inputDim: 0, outputs: ['nudity'] })).toEqual([
      'input "pixels" is [batch, 3, 100, 100]; it must be [N, 3, 224, 224] or [N, 224, 224, 3]',
    ]);
  });

  it('catches an input of the wrong width', () => {
    const problems = checkSignature(inspection([io('e', ['N', 256])], [io('p', ['N', 3])]), { input: 'embedding', inputDim: 1280, outputs: policies });
    expect(problems).toEqual(['input "e" is [N, 256]; it must be [N, 1280]']);
  });

  it('catches a wrong number of outputs, and of output columns', () => {
    const columns = checkSignature(inspection([io('e', ['N', 8])], [io('p', ['N', 2])]), { input: 'embedding', inputDim: 8, outputs: policies });
    expect(columns).toEqual(['output "p" is [N, 2]; it must be [N, 3] (one score per policy)']);
    const two = checkSignature(inspection([io('e', ['N', 8])], [io('p', ['N', 3]), io('q', ['N', 3])]), { input: 'embedding', inputDim: 8, outputs: policies });
    expect(two).toEqual(['the model must give 1 output, it gives 2 (p, q)']);
  });

  it('catches a second input, a fixed batch size, integers and an unknown shape', () => {
    const heads = inspection([io('image', ['N', 8]), io('text', ['N', 8])], [io('p', ['N', 3])]);
    expect(checkSignature(heads, { input: 'text', inputDim: 8, outputs: policies })).toEqual(['the model must take 1 input, it takes 2 (image, text)']);
    const fixed = checkSignature(inspection([io('e', [1, 8], 'int64')], [io('p', null)]), { input: 'embedding', inputDim: 8, outputs: policies });
    expect(fixed).toEqual([
      'input "e" is int64, not float32',
      'input "e" has a fixed batch size of 1; its first dimension must be symbolic',
      'output "p" has no declared shape; it must be [N, 3] (one score per policy)',
    ]);
  });
});
