import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelFormatError } from './model-format.error';
import { decodeModel, metadataOf, refuseExternalData } from './model-proto';

/** A float tensor, row-major. */
export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

/** An input or output as the runtime sees it. */
export interface OnnxValueInfo {
  name: string;
  /** onnxruntime's element type (`float32`, `int64`, ...), or `non-tensor` for sequences and maps. */
  type: string;
  /** A number per fixed dimension, the name of a symbolic one (e.g. `N`); empty when the rank is unknown. */
  shape: (number | string)[];
}

/*
 * Serving threads each hold one session: onnxruntime's default intra-op pool
 * is as wide as the machine, so one per thread would oversubscribe the cores
 * (see /work/shared/ENVIRONMENT.md). `session.run` blocks its thread for the
 * whole inference: call it from a worker thread, not the request thread.
 */
const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  // Errors only: an uploaded model's warnings (initializers listed as inputs, ...) are not the server's to log.
  logSeverityLevel: 3,
};

/** One onnxruntime session over a model held in memory. */
export class OnnxModel {
  private released = false;
  private readonly running = new Set<Promise<unknown>>();

  private constructor(
    private readonly session: InferenceSession,
    readonly inputs: OnnxValueInfo[],
    readonly outputs: OnnxValueInfo[],
    /** The model's metadata_props. */
    readonly metadata: Record<string, string>,
  ) {}

  /**
   * Throws ModelFormatError: `model.not_onnx` or `model.external_data` (see
   * model-proto.ts), `model.load_failed` when onnxruntime refuses the model.
   * The bytes are decoded here too, not only in inspectOnnx: onnxruntime-node
   * does not expose metadata_props, and the external-data check must hold
   * for every model the process loads, whoever made it.
   */
  static async load(bytes: Uint8Array): Promise<OnnxModel> {
    const proto = decodeModel(bytes);
    refuseExternalData(proto);
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, SESSION_OPTIONS);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ModelFormatError('model.load_failed', `onnxruntime cannot load the model: ${reason}`, { reason }, { cause: error });
    }
    return new OnnxModel(session, session.inputMetadata.map(valueInfo), session.outputMetadata.map(valueInfo), metadataOf(proto));
  }

  /** Runs the model on float inputs; every output must be float too. */
  async run(feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>> {
    if (this.released) throw new Error('OnnxModel: run after release');
    const tensors: Record<string, Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) tensors[name] = new Tensor('float32', feed.data, feed.dims);
    const run = this.session.run(tensors);
    this.running.add(run);
    try {
      const results = await run;
      const out: Record<string, FloatTensor> = {};
      for (const [name, value] of Object.entries(results)) {
        if (!(value instanceof Tensor) && !isTensorLike(value)) throw new Error(`OnnxModel: output ${name} is not a tensor`);
        if (value.type !== 'float32') throw new Error(`OnnxModel: output ${name} is ${value.type}, not float32`);
        out[name] = { data: value.data as Float32Array, dims: Array.from(value.dims) };
      }
      return out;
    } finally {
      this.running.delete(run);
    }
  }

  /** Frees the session once the runs under way have finished. Safe to call twice. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await Promise.allSettled(this.running);
    await this.session.release();
  }
}

function valueInfo(meta: InferenceSession.ValueMetadata): OnnxValueInfo {
  return meta.isTensor ? { name: meta.name, type: meta.type, shape: [...meta.shape] } : { name: meta.name, type: 'non-tensor', shape: [] };
}

/** onnxruntime-node hands back tensors made in the main realm: under Jest's vm `instanceof` misses them. */
function isTensorLike(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && 'type' in value && 'dims' in value && 'data' in value;
}
