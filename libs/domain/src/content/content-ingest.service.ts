import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentRepository, ContentRow, TransactionManager } from '@loupe/database';
import { MediaStore, StagedFile } from '@loupe/media';
import { JobQueue } from '@loupe/queue';
import { AuditService } from '../audit/audit.service';
import { asApiErrors } from '../signals/media-error.mapper';
import { MediaInspector } from '../signals/media-inspector.service';
import type { Principal } from '@loupe/vocabulary';

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
 * The row and its `content.ingest` audit event are written together.
 */
@Injectable()
export class ContentIngestService {
  private readonly logger = new Logger(ContentIngestService.name);

  constructor(
    private readonly contents: ContentRepository,
    private readonly store: MediaStore,
    private readonly inspector: MediaInspector,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async ingest(staged: StagedFile, fields: ContentFields, actor: Principal): Promise<ContentRow> {
    const media = await asApiErrors(() => this.inspector.inspect(staged.path));
    const mediaPath = await this.store.commit(staged, media.format.extension);
    let content: ContentRow;
    try {
      content = await this.transactions.run(async () => {
        const row = await this.contents.create({
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
        await this.audit.record(actor, 'content.ingest', { type: 'content', id: row.id }, {
          kind: row.kind,
          format: row.mediaFormat,
          bytes: row.mediaBytes,
          sha256: row.mediaSha256,
          creatorId: row.creatorId,
        });
        return row;
      });
    } catch (error) {
      await this.forgetFile(staged.sha256, mediaPath);
      throw error;
    }
    try {
      await this.jobs.enqueue('content.process-media', { contentId: content.id });
    } catch (error) {
      // Without its job the item would sit unprocessed; undo and let the caller retry.
      this.logger.error(`Could not queue the media job for ${content.id}: ${(error as Error).message}`);
      // The ingest event cannot be taken back (the log is append-only), so the undo is recorded too.
      await this.transactions.run(async () => {
        await this.contents.delete(content.id);
        await this.audit.record(actor, 'content.ingest.withdraw', { type: 'content', id: content.id }, { reason: 'queue.unavailable' });
      });
      await this.forgetFile(staged.sha256, mediaPath);
      throw new ApiError(503, 'queue.unavailable', 'The job queue is unavailable; retry the upload');
    }
    return content;
  }

  /** Removes a stored original unless another content item shares its bytes. */
  private async forgetFile(sha256: string, mediaPath: string): Promise<void> {
    if ((await this.contents.countByMediaSha256(sha256)) === 0) await this.store.remove(mediaPath);
  }
}
