import { ComputePool, NsfwTaskResult } from '@loupe/compute';
import { ContentEmbeddingInsert, ContentEmbeddingRepository, ContentRepository, PolicyRepository, TransactionManager } from '@loupe/database';
import { MediaStore } from '@loupe/media';
import { NSFW_INPUT_SIZE, type ImageEmbedding } from '@loupe/ml';
import { JobContext, JobHandler, JobHandlerFor, JobPayload, PermanentJobError } from '@loupe/queue';
import { scorePolicies } from '../policy/policy-scoring';
import { MODEL_INPUT_FILE } from './media-processing.handler';
import { RoutingService } from './routing.service';

function maxPerKey(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const record of records) for (const [key, value] of Object.entries(record)) out[key] = Math.max(out[key] ?? 0, value);
  return out;
}

function mean(vectors: Float32Array[]): number[] {
  const out = new Array<number>(vectors[0].length).fill(0);
  for (const vector of vectors) for (let i = 0; i < out.length; i++) out[i] += vector[i] / vectors.length;
  return out;
}

/**
 * The item's vector (frame null) and, for a video, each sampled frame's: the
 * item's is the mean of its frames, as its scores are their maximum.
 */
function embeddingRows(contentId: string, frames: ImageEmbedding[]): ContentEmbeddingInsert[] {
  const backbone = frames[0].backbone;
  const item = { contentId, backbone, frameIndex: null, pooled: mean(frames.map((f) => f.pooled)), dense: mean(frames.map((f) => f.dense)) };
  if (frames.length === 1) return [item];
  return [item, ...frames.map((f, frameIndex) => ({ contentId, backbone, frameIndex, pooled: Array.from(f.pooled), dense: Array.from(f.dense) }))];
}

/** Scores an item with the baseline image model and routes it by the policy thresholds. */
@JobHandlerFor('content.classify')
export class ClassificationHandler implements JobHandler<'content.classify'> {
  constructor(
    private readonly contents: ContentRepository,
    private readonly embeddings: ContentEmbeddingRepository,
    private readonly policies: PolicyRepository,
    private readonly store: MediaStore,
    private readonly compute: ComputePool,
    private readonly routing: RoutingService,
    private readonly transactions: TransactionManager,
  ) {}

  async handle({ contentId }: JobPayload<'content.classify'>, context: JobContext): Promise<void> {
    const content = await this.contents.findById(contentId);
    if (!content) throw new PermanentJobError('content.not_found', `Content ${contentId} does not exist`);
    if (content.status === 'failed') return;
    const inputPath = this.store.derivedPath(content.mediaSha256, MODEL_INPUT_FILE);
    if (!(await this.store.exists(inputPath))) {
      throw new PermanentJobError('content.not_decoded', 'The media job has not produced the model input');
    }
    const input = await this.store.read(inputPath);
    const frameBytes = NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3;
    const results: NsfwTaskResult[] = [];
    for (let offset = 0; offset + frameBytes <= input.length; offset += frameBytes) {
      results.push(await this.compute.classifyNsfw(input.subarray(offset, offset + frameBytes)));
      await context.progress(Math.floor((80 * (offset + frameBytes)) / input.length));
    }
    if (results.length === 0) throw new PermanentJobError('content.not_decoded', 'The model input is empty');
    const policies = await this.policies.list();
    // A video scores as its most violating frame, per policy and per class.
    const policyScores = maxPerKey(results.map((r) => scorePolicies(policies, r.modelId, r.outputs)));
    const outputs = maxPerKey(results.map((r) => r.outputs));
    const { modelId, modelVersion, backend } = results[0];
    // One transaction: a retry after a crash must not store the scores twice.
    await this.transactions.run(async () => {
      const scores = await this.contents.addScores({ contentId, modelId, modelVersion, backend, outputs, policyScores });
      await this.embeddings.addAll(embeddingRows(contentId, results.map((r) => r.embedding)));
      await this.routing.routeByModel(content, scores);
    });
  }

  async onFailed({ contentId }: JobPayload<'content.classify'>, error: Error): Promise<void> {
    const code = error instanceof PermanentJobError ? error.code : 'classify.failed';
    await this.contents.transition(contentId, ['processing'], 'failed', { failureCode: code, failureReason: error.message });
  }
}
