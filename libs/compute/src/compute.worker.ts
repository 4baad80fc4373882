/**
 * Entry point of the compute threads (piscina). Hashing and inference are
 * CPU-bound; running them here keeps the event loop of the api free, even in
 * the single-process embedded mode.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PdqHasher } from '@loupe/hashing';
import { BackboneClassifier, BackboneSource, loadServingBackbone, NsfwModel, prepareBackboneGraph } from '@loupe/ml';
import type {
  BackboneStateMessage,
  ClassifyTaskInput,
  ClassifyTaskResult,
  ComputeWorkerData,
  DescribeHeadsTaskResult,
  HeadsRef,
  NsfwTaskInput,
  NsfwTaskResult,
  PdqTaskInput,
  PdqTaskResult,
  PrepareBackboneTaskInput,
  PrepareBackboneTaskResult,
  ScoreHeadsTaskInput,
  ScoreHeadsTaskResult,
  WithBackbone,
} from './compute.tasks';
import { HeadsCache } from './heads-cache';

const settings = workerData as ComputeWorkerData;
const hasher = new PdqHasher();
let nsfw: Promise<BackboneClassifier> | null = null;
let tfjsModel: Promise<NsfwModel> | null = null;
const heads = new HeadsCache();

/** The thread's tfjs model, loaded once: the fallback, and what an export reads. */
function tfjs(): Promise<NsfwModel> {
  tfjsModel ??= NsfwModel.load(settings.tfjsBackend).catch((error) => {
    tfjsModel = null;
    throw error;
  });
  return tfjsModel;
}

export function pdq(input: PdqTaskInput): PdqTaskResult {
  if (input.dihedral) {
    const { hashes, quality } = hasher.hashDihedral(input.rgb, input.width, input.height);
    return { hash: hashes[0], quality, dihedral: hashes };
  }
  return hasher.hash(input.rgb, input.width, input.height);
}

/** The backbone, loaded on the thread's first task that needs it, from the source that task carries; the pool is told what loaded. */
function model(source: BackboneSource): Promise<BackboneClassifier> {
  nsfw ??= loadServingBackbone({
    runtime: settings.backboneRuntime,
    source,
    tfjs,
    // A thread has no Nest logger; the process's stderr is where operators look.
    warn: (message) => console.warn(`Loupe compute thread: ${message}`),
  }).then(
    ({ classifier, state }) => {
      parentPort?.postMessage({ type: 'loupe.backbone-state', threadId, state } satisfies BackboneStateMessage);
      return classifier;
    },
    (error) => {
      nsfw = null;
      throw error;
    },
  );
  return nsfw;
}

export async function classifyNsfw(input: WithBackbone<NsfwTaskInput>): Promise<NsfwTaskResult> {
  return (await model(input.backbone)).classifyWithEmbedding(input.rgb);
}

/** The backbone's graph for the registry: kept in `dir`, or exported now from this thread's tfjs model. */
export function prepareBackbone(input: PrepareBackboneTaskInput): Promise<PrepareBackboneTaskResult> {
  // Copied back once (a few MB, once per process): only a task's top-level value can be transferred.
  return prepareBackboneGraph(input.dir, tfjs);
}

/**
 * The backbone, then every heads graph asked for, on its embedding or on the
 * frame itself: one task, one thread, every policy's score.
 */
export async function classify(input: WithBackbone<ClassifyTaskInput>): Promise<ClassifyTaskResult> {
  const result = await (await model(input.backbone)).classifyWithEmbedding(input.rgb);
  return { ...result, heads: input.heads.length > 0 ? await heads.run(input.heads, result.embedding, input.text, input.rgb) : {} };
}

export function scoreHeads(input: ScoreHeadsTaskInput): Promise<ScoreHeadsTaskResult> {
  return heads.score(input);
}

export function describeHeads(input: { heads: HeadsRef }): Promise<DescribeHeadsTaskResult> {
  return heads.describe(input.heads);
}
