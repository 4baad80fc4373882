import type { onnx } from 'onnx-proto';
import { decodeModel, metadataOf, refuseExternalData, toNumber } from './model-proto';
import { OnnxModel } from './onnx-model';
import { PIXEL_SHAPES } from './pixel-input';

/*
 * "Bring your own model": what an uploaded file says it is, before Loupe
 * serves it. The bytes are untrusted: see model-proto.ts for how they are
 * read, and onnxruntime has the last word, as it parses and checks the whole
 * graph when it creates a session.
 */

/** A graph input or output as the model declares it. */
export interface OnnxIoDescription {
  name: string;
  /** onnxruntime's name for the element type (`float32`, `int64`, ...); `sequence`, `map`, ... for non-tensors. */
  elemType: string;
  /** Per dimension: its size, the name of a symbolic one, or null when neither is given. Null when the rank is unknown. */
  dims: (number | string | null)[] | null;
}

export interface OnnxInspection {
  irVersion: number;
  /** The version of the default (ai.onnx) operator set; null when the model imports none. */
  opset: number | null;
  /** Every imported operator set: domain ('' for ai.onnx) → version. */
  opsets: Record<string, number>;
  producer: { name: string; version: string };
  /** The graph's inputs, without the initializers that older exporters also list as inputs. */
  inputs: OnnxIoDescription[];
  outputs: OnnxIoDescription[];
  metadata: Record<string, string>;
}

/** What a model must look like to stand in for Loupe's heads. */
export interface ModelSignature {
  input: 'embedding' | 'text' | 'image';
  /** The input's width: the embedding's or the text features' dimension (not used for images). */
  inputDim: number;
  /** The policy of each output column, in order. */
  outputs: string[];
}

/**
 * Shapes an image model may take: NCHW or NHWC, RGB, 224 × 224, the size
 * Loupe already decodes every image to for its embedding backbone (the
 * pixel contract is in pixel-input.ts).
 */
export const IMAGE_INPUT_SHAPES: readonly (readonly number[])[] = [PIXEL_SHAPES.nchw, PIXEL_SHAPES.nhwc];

/**
 * Decodes an uploaded model and has onnxruntime load it once. Throws
 * ModelFormatError: `model.not_onnx`, `model.external_data` or `model.load_failed`.
 * Loading blocks the thread it runs on: call this from a worker thread for large models.
 */
export async function inspectOnnx(bytes: Uint8Array): Promise<OnnxInspection> {
  const model = decodeModel(bytes);
  refuseExternalData(model);
  const graph = model.graph as onnx.IGraphProto;

  const initialised = new Set<string>([
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...(graph.sparseInitializer ?? []).map((t) => t.values?.name ?? ''),
  ]);
  const opsets: Record<string, number> = {};
  for (const set of model.opsetImport ?? []) opsets[set.domain ?? ''] = toNumber(set.version);
  const inspection: OnnxInspection = {
    irVersion: toNumber(model.irVersion),
    opset: opsets[''] ?? opsets['ai.onnx'] ?? null,
    opsets,
    producer: { name: model.producerName ?? '', version: model.producerVersion ?? '' },
    inputs: (graph.input ?? []).filter((v) => !initialised.has(v.name ?? '')).map(describe),
    outputs: (graph.output ?? []).map(describe),
    metadata: metadataOf(model),
  };

  const session = await OnnxModel.load(bytes);
  await session.release();
  return inspection;
}

/** Problems that keep the model from serving this signature; empty when it fits. */
export function checkSignature(inspection: OnnxInspection, signature: ModelSignature): string[] {
  const problems: string[] = [];
  if (signature.outputs.length === 0) problems.push('the signature names no outputs');
  if (new Set(signature.outputs).size !== signature.outputs.length) problems.push('the signature names a policy twice');
  if (signature.input !== 'image' && !(Number.isSafeInteger(signature.inputDim) && signature.inputDim > 0)) {
    problems.push(`the signature's input width ${signature.inputDim} is not a positive integer`);
  }

  if (inspection.inputs.length !== 1) {
    problems.push(`the model must take 1 input, it takes ${inspection.inputs.length}${names(inspection.inputs)}`);
  } else {
    const input = inspection.inputs[0];
    const wanted = signature.input === 'image' ? IMAGE_INPUT_SHAPES : [[signature.inputDim]];
    const shapes = wanted.map((shape) => `[N, ${shape.join(', ')}]`).join(' or ');
    problems.push(...checkFloat(`input "${input.name}"`, input));
    problems.push(...checkBatched(`input "${input.name}"`, input, wanted, shapes));
  }

  if (inspection.outputs.length !== 1) {
    problems.push(`the model must give 1 output, it gives ${inspection.outputs.length}${names(inspection.outputs)}`);
  } else {
    const output = inspection.outputs[0];
    const width = signature.outputs.length;
    problems.push(...checkFloat(`output "${output.name}"`, output));
    problems.push(...checkBatched(`output "${output.name}"`, output, [[width]], `[N, ${width}] (one score per policy)`));
  }
  return problems;
}

function checkFloat(what: string, value: OnnxIoDescription): string[] {
  return value.elemType === 'float32' ? [] : [`${what} is ${value.elemType}, not float32`];
}

/**
 * The first dimension is the batch: it must be symbolic, or left open (null),
 * since Loupe scores items in batches of any size. The others must be exactly
 * one of the wanted shapes: a symbolic width would load, then fail on the
 * first item.
 */
function checkBatched(what: string, value: OnnxIoDescription, wanted: readonly (readonly number[])[], shapes: string): string[] {
  if (!value.dims) return [`${what} has no declared shape; it must be ${shapes}`];
  const shown = `[${value.dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
  const [batch, ...rest] = value.dims;
  const problems: string[] = [];
  if (!rest.length || !wanted.some((shape) => shape.length === rest.length && shape.every((d, i) => rest[i] === d))) {
    problems.push(`${what} is ${shown}; it must be ${shapes}`);
  }
  if (typeof batch === 'number') problems.push(`${what} has a fixed batch size of ${batch}; its first dimension must be symbolic`);
  return problems;
}

const names = (values: OnnxIoDescription[]) => (values.length ? ` (${values.map((v) => v.name).join(', ')})` : '');

function describe(value: onnx.IValueInfoProto): OnnxIoDescription {
  const type = value.type ?? {};
  const tensor = type.tensorType;
  if (!tensor) {
    const kind = type.sequenceType ? 'sequence' : type.mapType ? 'map' : type.optionalType ? 'optional' : type.sparseTensorType ? 'sparse_tensor' : 'unknown';
    return { name: value.name ?? '', elemType: kind, dims: null };
  }
  const dims = tensor.shape
    ? (tensor.shape.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? toNumber(d.dimValue) : null))
    : null;
  return { name: value.name ?? '', elemType: elementType(tensor.elemType ?? 0), dims };
}

/** ONNX TensorProto.DataType → onnxruntime's names (as OnnxModel reports them). */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
  17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4',
};

function elementType(id: number): string {
  return ELEMENT_TYPES[id] ?? `unknown(${id})`;
}
