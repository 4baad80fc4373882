/**
 * The codes a model can be refused with. They are part of the API: the domain
 * layer answers them as 422s, and clients branch on them.
 *
 * - `model.not_onnx`: the bytes are not an ONNX ModelProto (do not decode, are empty, have no graph or IR version).
 * - `model.external_data`: a tensor keeps its values in a file beside the model; an upload is one file, and
 *   letting the runtime open paths named by an uploaded model would let it read the server's files.
 * - `model.load_failed`: a well-formed ModelProto that onnxruntime cannot make a session of
 *   (shapes that do not fit, unknown operators or opsets, ...).
 */
export type ModelFormatCode = 'model.not_onnx' | 'model.external_data' | 'model.load_failed';

/**
 * A model Loupe cannot use, for a reason in the model itself: retrying cannot
 * fix it. libs/ml sits below libs/common (and NestJS), so this is a plain
 * Error with a code, as MediaError is in libs/media.
 */
export class ModelFormatError extends Error {
  constructor(
    readonly code: ModelFormatCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelFormatError';
  }
}
