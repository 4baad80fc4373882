import { onnx } from 'onnx-proto';
import { ModelFormatError } from './model-format.error';

/*
 * Reading a ModelProto that nobody vouches for (an upload). protobufjs's
 * generated decoders do not check wire types, so any byte string that happens
 * to parse becomes a ModelProto full of nonsense: the top level is checked
 * against ModelProto's fields first. onnxruntime has the last word: it parses
 * and checks the whole graph when it creates a session.
 */

/** Throws ModelFormatError `model.not_onnx` unless the bytes are a ModelProto with an IR version and a graph with outputs. */
export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  const notOnnx = (why: string, cause?: unknown) => new ModelFormatError('model.not_onnx', `not an ONNX model: ${why}`, { reason: why }, { cause });
  if (bytes.length === 0) throw notOnnx('the file is empty');
  const layout = topLevelProblem(bytes);
  if (layout) throw notOnnx(layout);
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw notOnnx(error instanceof Error ? error.message : String(error), error);
  }
  if (!(toNumber(model.irVersion) > 0)) throw notOnnx('it has no IR version');
  if (!model.graph) throw notOnnx('it has no graph');
  if (!model.graph.output?.length) throw notOnnx('its graph has no outputs');
  return model;
}

/** ModelProto's fields by number: 0 varint, 2 length-delimited. Unknown numbers are allowed (newer ONNX). */
const MODEL_FIELDS: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };

/** Walks the top-level fields: each must have a valid wire type (ModelProto's, for its fields) and fit in the bytes. */
function topLevelProblem(bytes: Uint8Array): string | null {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (at >= bytes.length) throw new Error('truncated');
      const byte = bytes[at++];
      // Past 2^53 lengths are nonsense for a file in memory anyway; keep the arithmetic in doubles.
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new Error('a varint longer than 10 bytes');
  };
  try {
    while (at < bytes.length) {
      const tag = varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0) return `field number 0 at byte ${at}`;
      if (field in MODEL_FIELDS && MODEL_FIELDS[field] !== wire) return `field ${field} has wire type ${wire}, not ModelProto's`;
      if (wire === 0) varint();
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else if (wire === 2) {
        // Not `at += varint()`: that reads `at` before varint() moves it past the length.
        const length = varint();
        at += length;
      }
      else return `wire type ${wire} at byte ${at}`;
      if (at > bytes.length) return 'it ends inside a field (truncated?)';
    }
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)} at byte ${at}`;
  }
  return null;
}

/**
 * Throws ModelFormatError `model.external_data` when a tensor keeps its values
 * in a file of its own. onnxruntime resolves such a file against the working
 * directory for a model loaded from bytes (it refuses absolute paths and `..`,
 * but loads `package.json`): an uploaded model could read the server's files
 * into its weights.
 */
export function refuseExternalData(model: onnx.IModelProto): void {
  const external = externalTensor(model);
  if (external) throw new ModelFormatError('model.external_data', `tensor "${external}" keeps its values outside the model file`, { tensor: external });
}

/** The model's metadata_props as a record (a repeated key keeps its last value, as onnxruntime does). */
export function metadataOf(model: onnx.IModelProto): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const { key, value } of model.metadataProps ?? []) if (key) metadata[key] = value ?? '';
  return metadata;
}

/** The name of the first tensor, anywhere in the model, whose values live in an external file. */
function externalTensor(model: onnx.IModelProto): string | null {
  const isExternal = (t: onnx.ITensorProto | null | undefined) =>
    !!t && (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0);
  const tensorsOf = (s: onnx.ISparseTensorProto | null | undefined) => (s ? [s.values, s.indices] : []);
  const graphs: onnx.IGraphProto[] = model.graph ? [model.graph] : [];
  const nodes: onnx.INodeProto[] = (model.functions ?? []).flatMap((f) => f.node ?? []);
  for (const training of model.trainingInfo ?? []) {
    for (const g of [training.initialization, training.algorithm]) if (g) graphs.push(g);
  }
  // An explicit stack, not recursion: subgraphs (If, Loop, Scan) nest as deep as the file says.
  while (graphs.length || nodes.length) {
    const graph = graphs.pop();
    if (graph) {
      const tensors = [...(graph.initializer ?? []), ...(graph.sparseInitializer ?? []).flatMap(tensorsOf)];
      const found = tensors.find(isExternal);
      if (found) return found.name || '(unnamed)';
      nodes.push(...(graph.node ?? []));
      continue;
    }
    const node = nodes.pop() as onnx.INodeProto;
    for (const a of node.attribute ?? []) {
      const tensors = [a.t, ...(a.tensors ?? []), ...tensorsOf(a.sparseTensor), ...(a.sparseTensors ?? []).flatMap(tensorsOf)];
      const found = tensors.find(isExternal);
      if (found) return found?.name || `(an attribute of ${node.name || node.opType})`;
      if (a.g) graphs.push(a.g);
      graphs.push(...(a.graphs ?? []));
    }
  }
  return null;
}

/** int64 fields decode as Long objects (protobufjs finds the `long` package) or as numbers. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
