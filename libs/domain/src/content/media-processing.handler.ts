import { Logger, Optional } from '@nestjs/common';
import { ContentRepository, ContentRow } from '@loupe/database';
import { MediaError, MediaStore, storedVideoProbe } from '@loupe/media';
import { LoupeMetrics } from '@loupe/metrics';
import { JobContext, JobHandler, JobHandlerFor, JobPayload, JobQueue, PermanentJobError } from '@loupe/queue';
import { HashMatchService, MatchOutcome } from '../matching/hash-match.service';
import { SignalExtractor, VideoSignalOptions, VideoSignals } from '../signals/signal-extractor.service';
import { ContentScorer } from './content-scorer.service';
import { recordFirstDecision } from './decision-metrics';
import { MODEL_INPUT_FILE } from './model-input-file';
import { RoutingService } from './routing.service';

/**
 * Decodes an upload once, hashes it (PDQ, or vPDQ for a video), checks the
 * banks, and hands the classifier its input. A bank match acts here, before
 * any model or human sees the item; classification still runs so its scores
 * are kept.
 */
@JobHandlerFor('content.process-media')
export class MediaProcessingHandler implements JobHandler<'content.process-media'> {
  private readonly logger = new Logger(MediaProcessingHandler.name);

  constructor(
    private readonly contents: ContentRepository,
    private readonly store: MediaStore,
    private readonly signals: SignalExtractor,
    private readonly matcher: HashMatchService,
    private readonly routing: RoutingService,
    private readonly scorer: ContentScorer,
    private readonly jobs: JobQueue,
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {}

  async handle({ contentId }: JobPayload<'content.process-media'>, context: JobContext): Promise<void> {
    // One statement on the usual path (a new item moves to processing and comes back);
    // a retry finds it already processing, and anything else is left as it is.
    const content = (await this.contents.transition(contentId, ['received'], 'processing')) ?? (await this.contents.findById(contentId));
    if (!content) throw new PermanentJobError('content.not_found', `Content ${contentId} does not exist`);
    if (content.status !== 'processing') return;

    let outcome: MatchOutcome;
    try {
      outcome = content.kind === 'video' ? await this.video(content, context) : await this.image(content, context);
    } catch (error) {
      if (error instanceof MediaError) throw new PermanentJobError(error.code, error.message);
      throw error;
    }
    await this.matcher.recordForContent(contentId, outcome.matches);
    if (outcome.action && (await this.routing.applyBankAction(content, outcome.action))) {
      this.logger.log(`Content ${contentId}: bank ${outcome.action.bank.name} (${outcome.action.bank.action})`);
    }
    await this.jobs.enqueue('content.classify', { contentId });
    await context.progress(100);
  }

  async onFailed({ contentId }: JobPayload<'content.process-media'>, error: Error): Promise<void> {
    const code = error instanceof PermanentJobError ? error.code : 'media.processing_failed';
    const failed = await this.contents.transition(contentId, ['received', 'processing'], 'failed', { failureCode: code, failureReason: error.message });
    if (failed) recordFirstDecision(this.metrics, failed, 'failed', 'failure');
  }

  private async image(content: ContentRow, context: JobContext): Promise<MatchOutcome> {
    // Read once: the animation check and a still image's decode both work on these bytes.
    const data = await this.store.read(content.mediaPath);
    // One read of the header: an animated GIF, WebP or PNG goes the video way (otherwise only its
    // first frame would be judged); a still image's decode skips its own read of the header.
    const { probe, animation } = await this.signals.inspectImage(data);
    if (animation) {
      const path = this.store.resolve(content.mediaPath);
      return this.motion(content, (options) => this.signals.animation(path, animation, options), context);
    }
    const signals = await this.signals.image(data, probe);
    await context.progress(50);
    await this.contents.replaceHashes(content.id, [{ signalType: 'pdq', hash: signals.pdq, quality: signals.quality }]);
    await this.store.writeDerived(content.mediaSha256, MODEL_INPUT_FILE, signals.modelInput.data);
    return this.matcher.matchImage({ pdq: signals.pdq, quality: signals.quality, dihedral: signals.dihedral }, content.id);
  }

  private video(content: ContentRow, context: JobContext): Promise<MatchOutcome> {
    const path = this.store.resolve(content.mediaPath);
    // The upload's probe (when it kept one this code can read): a worker process need not run ffprobe on the file again.
    const probe = storedVideoProbe(content.mediaProbe) ?? undefined;
    return this.motion(content, (options) => this.signals.video(path, { ...options, probe }), context);
  }

  /**
   * Videos and animations alike: vPDQ frames stored, several model inputs,
   * matched as a video. The model inputs are scored as they are made, beside
   * the decode, for the classify job that follows (ContentScorer.scoreAhead).
   */
  private async motion(
    content: ContentRow,
    extract: (options: Pick<VideoSignalOptions, 'onProgress' | 'onModelInput'>) => Promise<VideoSignals>,
    context: JobContext,
  ): Promise<MatchOutcome> {
    let reported = 0;
    const ahead = await this.scorer.scoreAhead(content);
    let signals: VideoSignals;
    try {
      signals = await extract({
        onProgress: (fraction) => {
          const percent = Math.floor(fraction * 80);
          if (percent >= reported + 5) {
            reported = percent;
            void context.progress(percent).catch(() => undefined);
          }
        },
        onModelInput: (input) => ahead.add(input.data),
      });
    } catch (error) {
      ahead.discard();
      throw error;
    }
    ahead.finish();
    await this.contents.replaceHashes(
      content.id,
      signals.frames.map((f) => ({ signalType: 'vpdq', hash: f.pdq, quality: f.quality, frameIndex: f.frameNumber, timestampSeconds: f.timestamp })),
    );
    await this.store.writeDerived(content.mediaSha256, MODEL_INPUT_FILE, Buffer.concat(signals.modelInputs.map((m) => m.data)));
    return this.matcher.matchVideo(signals.frames, content.id);
  }
}
