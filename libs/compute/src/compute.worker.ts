/**
 * Entry point of the compute threads (piscina). Hashing and inference are
 * CPU-bound; running them here keeps the event loop of the api free, even in
 * the single-process embedded mode.
 */
import { workerData } from 'node:worker_threads';
import { PdqHasher } from '@loupe/hashing';
import { NsfwModel } from '@loupe/ml';
import type { ComputeWorkerData, NsfwTaskInput, NsfwTaskResult, PdqTaskInput, PdqTaskResult } from './compute.tasks';

const settings = workerData as ComputeWorkerData;
const hasher = new PdqHasher();
let nsfw: Promise<NsfwModel> | null = null;

export function pdq(input: PdqTaskInput): PdqTaskResult {
  if (input.dihedral) {
    const { hashes, quality } = hasher.hashDihedral(input.rgb, input.width, input.height);
    return { hash: hashes[0], quality, dihedral: hashes };
  }
  return hasher.hash(input.rgb, input.width, input.height);
}

export async function classifyNsfw(input: NsfwTaskInput): Promise<NsfwTaskResult> {
  nsfw ??= NsfwModel.load(settings.tfjsBackend).catch((error) => {
    nsfw = null;
    throw error;
  });
  return (await nsfw).classifyWithEmbedding(input.rgb);
}
