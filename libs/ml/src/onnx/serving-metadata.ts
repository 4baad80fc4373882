import { onnx } from 'onnx-proto';
import { decodeModel } from './model-proto';

/**
 * A model with metadata_props added (or replaced): how an uploaded model
 * learns to say, as Loupe's own heads do, which policy each output is and
 * which inputs it reads, so that one serving path runs both (headsSignature
 * reads it: `policies`, `scoresOutput`, and `imageInput`/`imageDim`,
 * `textInput`/`textDim`, or `pixelsInput`/`pixelsLayout`). The graph is left
 * as it is.
 */
export function withMetadata(bytes: Uint8Array, entries: Record<string, string>): Uint8Array {
  const model = decodeModel(bytes);
  const kept = (model.metadataProps ?? []).filter((p) => !(p.key && p.key in entries));
  model.metadataProps = [...kept, ...Object.entries(entries).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value }))];
  return onnx.ModelProto.encode(model).finish();
}
