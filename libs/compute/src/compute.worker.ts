/**
 * Entry point of the compute threads (piscina). Hashing and inference are
 * CPU-bound; running them here keeps the event loop of the api free, even in
 * the single-process embedded mode.
 */
import { workerData } from 'node:worker_threads';
import { PdqHasher } from '@loupe/hashing';
import { BackboneClassifier, loadServingBackbone } from '@loupe/ml';
import type { ClassifyTaskInput, ClassifyTaskResult, ComputeWorkerData, DescribeHeadsTaskResult, HeadsRef, NsfwTaskInput, NsfwTaskResult, PdqTaskInput, PdqTaskResult, ScoreHeadsTaskInput, ScoreHeadsTaskResult } from './compute.tasks';
import { HeadsCache } from './heads-cache';

const settings = workerData as ComputeWorkerData;
const hasher = new PdqHasher();
let nsfw: Promise<BackboneClassifier> | null = null;
const heads = new HeadsCache();

export function pdq(input: PdqTaskInput): PdqTaskResult {
  if (input.dihedral) {
    const { hashes, quality } = hasher.hashDihedral(input.rgb, input.width, input.height);
    return { hash: hashes[0], quality, dihedral: hashes };
  }
  return hasher.hash(input.rgb, input.width, input.height);
}

function model(): Promise<BackboneClassifier> {
  nsfw ??= loadServingBackbone({
    runtime: settings.backboneRuntime,
    onnxDir: settings.backboneOnnxDir,
    tfjsBackend: settings.tfjsBackend,
    // A thread has no Nest logger; the process's stderr is where operators look.
    warn: (message) => console.warn(`Loupe compute thread: ${message}`),
  }).catch((error) => {
    nsfw = null;
    throw error;
  });
  return nsfw;
}

export async function classifyNsfw(input: NsfwTaskInput): Promise<NsfwTaskResult> {
  return (await model()).classifyWithEmbedding(input.rgb);
}

/**
 * The backbone, then every heads graph asked for, on its embedding or on the
 * frame itself: one task, one thread, every policy's score.
 */
export async function classify(input: ClassifyTaskInput): Promise<ClassifyTaskResult> {
  const result = await (await model()).classifyWithEmbedding(input.rgb);
  return { ...result, heads: input.heads.length > 0 ? await heads.run(input.heads, result.embedding, input.text, input.rgb) : {} };
}

export function scoreHeads(input: ScoreHeadsTaskInput): Promise<ScoreHeadsTaskResult> {
  return heads.score(input);
}

export function describeHeads(input: { heads: HeadsRef }): Promise<DescribeHeadsTaskResult> {
  return heads.describe(input.heads);
}
