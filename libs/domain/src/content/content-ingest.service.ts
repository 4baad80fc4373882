import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentRepository, ContentRow } from '@loupe/database';
import { MediaStore, StagedFile } from '@loupe/media';
import { JobQueue, QUEUE_RETRY_AFTER_SECONDS } from '@loupe/queue';
import type { Principal } from '../auth/principal';
import { asApiErrors } from '../signals/media-error.mapper';
import { MediaInspector } from '../signals/media-inspector.service';

export interface ContentFields {
  caption?: string;
  hashtags: string[];
  creatorId: string;
  region: string;
  language: string;
}

/**
 * Accepts an upload: checks it is a sound image or video without decoding it,
 * stores it under its content address, records it and queues the media job.
 * Either all of that happens or none: a refused upload leaves no row and no file.
 */
@Injectable()
export class ContentIngestService {
  private readonly logger = new Logger(ContentIngestService.name);

  constructor(
    private readonly contents: ContentRepository,
    private readonly store: MediaStore,
    private readonly inspector: MediaInspector,
    private readonly jobs: JobQueue,
  ) {}

  async ingest(staged: StagedFile, fields: ContentFields, _actor: Principal): Promise<ContentRow> {
    const media = await asApiErrors(() => this.inspector.inspect(staged.path));
    const mediaPath = await this.store.commit(staged, media.format.extension);
    let content: ContentRow;
    try {
      content = await this.contents.create({
        kind: media.format.kind,
        mediaSha256: staged.sha256,
        mediaPath,
        mediaFormat: media.format.format,
        mediaBytes: staged.bytes,
        width: media.width,
        height: media.height,
        caption: fields.caption ?? null,
        hashtags: fields.hashtags,
        creatorId: fields.creatorId,
        region: fields.region,
        language: fields.language,
      });
    } catch (error) {
      await this.forgetFile(staged.sha256, mediaPath);
      throw error;
    }
    try {
      await this.jobs.enqueue('content.process-media', { contentId: content.id });
    } catch (error) {
      // The client hears 503 and will send the upload again, so keeping this
      // row would make a second item that nobody knows the id of: undo it.
      // If the undo fails too (the database is also down), the row stays
      // `received` and the recovery sweep finishes it once the stores are back.
      this.logger.error(`Could not queue the media job for ${content.id}: ${(error as Error).message}`);
      await this.undo(content.id, staged.sha256, mediaPath);
      throw ApiError.unavailable('queue.unavailable', 'The job queue is unavailable; retry the upload', QUEUE_RETRY_AFTER_SECONDS);
    }
    return content;
  }

  private async undo(contentId: string, sha256: string, mediaPath: string): Promise<void> {
    try {
      await this.contents.delete(contentId);
      await this.forgetFile(sha256, mediaPath);
    } catch (error) {
      this.logger.error(`Could not undo content ${contentId}; the recovery sweep will process it: ${(error as Error).message}`);
    }
  }

  /** Removes a stored original unless another content item shares its bytes. */
  private async forgetFile(sha256: string, mediaPath: string): Promise<void> {
    if ((await this.contents.countByMediaSha256(sha256)) === 0) await this.store.remove(mediaPath);
  }
}
