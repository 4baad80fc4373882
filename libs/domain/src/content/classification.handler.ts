import { ComputePool } from '@loupe/compute';
import { ContentRepository, PolicyRepository, TransactionManager } from '@loupe/database';
import { MediaStore } from '@loupe/media';
import { JobContext, JobHandler, JobHandlerFor, JobPayload, PermanentJobError } from '@loupe/queue';
import { scorePolicies } from '../policy/policy-scoring';
import { MODEL_INPUT_FILE } from './media-processing.handler';
import { RoutingService } from './routing.service';

/** Scores an item with the baseline image model and routes it by the policy thresholds. */
@JobHandlerFor('content.classify')
export class ClassificationHandler implements JobHandler<'content.classify'> {
  constructor(
    private readonly contents: ContentRepository,
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
    const result = await this.compute.classifyNsfw(await this.store.read(inputPath));
    await context.progress(80);
    // One transaction: a retry after a crash must not store the scores twice.
    await this.transactions.run(async () => {
      const policyScores = scorePolicies(await this.policies.list(), result.modelId, result.outputs);
      const scores = await this.contents.addScores({
        contentId,
        modelId: result.modelId,
        modelVersion: result.modelVersion,
        backend: result.backend,
        outputs: result.outputs,
        policyScores,
      });
      await this.routing.routeByModel(content, scores);
    });
  }

  async onFailed({ contentId }: JobPayload<'content.classify'>, error: Error): Promise<void> {
    const code = error instanceof PermanentJobError ? error.code : 'classify.failed';
    await this.contents.transition(contentId, ['processing'], 'failed', { failureCode: code, failureReason: error.message });
  }
}
