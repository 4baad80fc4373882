import { Logger } from '@nestjs/common';
import { ComputePool } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository } from '@loupe/database';
import { ImageCodec, MediaError, MediaStore } from '@loupe/media';
import { NSFW_INPUT_SIZE } from '@loupe/ml';
import { JobContext, JobHandler, JobHandlerFor, JobPayload, JobQueue, PermanentJobError } from '@loupe/queue';
import { HashMatchService } from '../matching/hash-match.service';
import { RoutingService } from './routing.service';

/** Larger images are scaled to this longer side before hashing (see docs/architecture.md). */
export const PDQ_MAX_SIDE = 1024;
export const MODEL_INPUT_FILE = `model-input-${NSFW_INPUT_SIZE}.rgb`;

/**
 * Decodes an upload once, hashes it, checks the banks, and hands the
 * classifier its input. A bank match removes the item here, before any
 * model or human sees it; classification still runs so its scores are kept.
 */
@JobHandlerFor('content.process-media')
export class MediaProcessingHandler implements JobHandler<'content.process-media'> {
  private readonly logger = new Logger(MediaProcessingHandler.name);

  constructor(
    private readonly contents: ContentRepository,
    private readonly store: MediaStore,
    private readonly images: ImageCodec,
    private readonly compute: ComputePool,
    private readonly matcher: HashMatchService,
    private readonly routing: RoutingService,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
  ) {}

  async handle({ contentId }: JobPayload<'content.process-media'>, context: JobContext): Promise<void> {
    const content = await this.contents.findById(contentId);
    if (!content) throw new PermanentJobError('content.not_found', `Content ${contentId} does not exist`);
    if (!['received', 'processing'].includes(content.status)) return;
    await this.contents.transition(contentId, ['received'], 'processing');

    let analysis;
    try {
      analysis = await this.images.decodeForAnalysis(this.store.resolve(content.mediaPath), this.config.media, {
        hashMaxSide: PDQ_MAX_SIDE,
        modelSize: NSFW_INPUT_SIZE,
      });
    } catch (error) {
      if (error instanceof MediaError) throw new PermanentJobError(error.code, error.message);
      throw error;
    }
    await context.progress(30);

    const { hashInput, modelInput } = analysis;
    const pdq = await this.compute.pdq({ rgb: hashInput.data, width: hashInput.width, height: hashInput.height, dihedral: false });
    await this.contents.replaceHashes(contentId, [{ signalType: 'pdq', hash: pdq.hash, quality: pdq.quality }]);
    await this.store.writeDerived(content.mediaSha256, MODEL_INPUT_FILE, modelInput.data);
    await context.progress(70);

    const [match] = await this.matcher.findMatches(pdq.hash, pdq.quality);
    if (match && (await this.routing.removeByHash(content, match))) {
      this.logger.log(`Content ${contentId} removed at ingest: bank ${match.bankName}, distance ${match.distance}`);
    }
    await this.jobs.enqueue('content.classify', { contentId });
    await context.progress(100);
  }

  async onFailed({ contentId }: JobPayload<'content.process-media'>, error: Error): Promise<void> {
    const code = error instanceof PermanentJobError ? error.code : 'media.processing_failed';
    await this.contents.transition(contentId, ['received', 'processing'], 'failed', { failureCode: code, failureReason: error.message });
  }
}
