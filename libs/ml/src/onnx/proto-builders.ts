import { onnx } from 'onnx-proto';

/*
 * The small pieces every ONNX graph Loupe writes is made of (the heads'
 * graph, the backbone's): nodes, attributes, initializers and value infos.
 * Not in the library's index: callers speak of models, not of protobuf parts.
 */

export const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const { INT, INTS, FLOAT: FLOAT_ATTRIBUTE } = onnx.AttributeProto.AttributeType;

export function node(opType: string, name: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, name, input, output, attribute };
}

export function intAttribute(name: string, i: number): onnx.IAttributeProto {
  return { name, type: INT, i };
}

export function intsAttribute(name: string, ints: readonly number[]): onnx.IAttributeProto {
  return { name, type: INTS, ints: [...ints] };
}

export function floatAttribute(name: string, f: number): onnx.IAttributeProto {
  return { name, type: FLOAT_ATTRIBUTE, f };
}

export function floatTensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, rawData: littleEndian(values) };
}

/** A few int64s (shapes, pads): int64_data, not raw_data, since there are never many. */
export function int64Tensor(name: string, dims: number[], values: readonly number[]): onnx.ITensorProto {
  return { name, dims, dataType: INT64, int64Data: [...values] };
}

/** A float tensor's value info; a string dimension is symbolic (the batch). */
export function floatValueInfo(name: string, dims: readonly (number | string)[]): onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

/** raw_data is little-endian whatever the host; copying the bytes as they are is only right on a little-endian one. */
export function littleEndian(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return bytes;
  }
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}
