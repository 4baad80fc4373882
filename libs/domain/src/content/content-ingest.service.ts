import { Injectable, Logger, Optional } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentRepository, ContentRow, isDatabaseUnavailable, TransactionManager } from '@loupe/database';
import { MediaStore, StagedFile } from '@loupe/media';
import { LoupeMetrics } from '@loupe/metrics';
import { JobQueue, QUEUE_RETRY_AFTER_SECONDS } from '@loupe/queue';
import { AuditService } from '../audit/audit.service';
import { asApiErrors } from '../signals/media-error.mapper';
import { MediaInspector } from '../signals/media-inspector.service';
import { assertEventTimeNotAhead } from './event-time';
import type { Principal } from '@loupe/vocabulary';

export interface ContentFields {
  caption?: string;
  hashtags: string[];
  creatorId: string;
  region: string;
  language: string;
  /** When the user posted it on the platform; default: now. */
  postedAt?: Date;
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
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {}

  async ingest(staged: StagedFile, fields: ContentFields, actor: Principal): Promise<ContentRow> {
    try {
      const content = await this.accept(staged, fields, actor);
      this.metrics?.uploads.inc({ kind: content.kind, result: 'accepted' });
      return content;
    } catch (error) {
      // A refusal is known before the kind is (sniffing is the first check): its kind is unknown.
      this.metrics?.uploads.inc({ kind: 'unknown', result: 'refused' });
      this.metrics?.uploadsRefused.inc({ code: error instanceof ApiError ? error.code : isDatabaseUnavailable(error) ? 'database.unavailable' : 'internal' });
      throw error;
    }
  }

  private async accept(staged: StagedFile, fields: ContentFields, actor: Principal): Promise<ContentRow> {
    assertEventTimeNotAhead(fields.postedAt, 'postedAt', 'content.posted_at_future');
    const media = await asApiErrors(() => this.inspector.inspect(staged.path));
    const mediaPath = this.store.originalPath(staged.sha256, media.format.extension);
    let content: ContentRow;
    try {
      await this.store.prepareCommit(staged, media.format.extension);
      // The file and its row under the media lock (on PGlite, the transaction
      // itself, which no other overlaps): a concurrent failed upload of the
      // same bytes cannot remove the file between the two (see forget).
      content = await this.transactions.run(async () => {
        await this.contents.lockMedia(staged.sha256);
        await this.store.commit(staged, media.format.extension);
        const row = await this.contents.create({
          kind: media.format.kind,
          mediaSha256: staged.sha256,
          mediaPath,
          mediaFormat: media.format.format,
          mediaBytes: staged.bytes,
          width: media.width,
          height: media.height,
          mediaProbe: media.videoProbe ? { ...media.videoProbe } : null,
          caption: fields.caption ?? null,
          hashtags: fields.hashtags,
          creatorId: fields.creatorId,
          region: fields.region,
          language: fields.language,
          ...(fields.postedAt ? { postedAt: fields.postedAt } : {}),
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
      await this.forget(null, staged.sha256, mediaPath);
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
      await this.forget(content.id, staged.sha256, mediaPath, actor);
      throw ApiError.unavailable('queue.unavailable', 'The job queue is unavailable; retry the upload', QUEUE_RETRY_AFTER_SECONDS);
    }
    return content;
  }

  /**
   * Undoes an upload: its row, if it was written, and the stored original
   * unless another item has the same bytes. Under the media lock, so that an
   * upload of the same bytes committing now keeps its file. When that cannot
   * be done (the database is down) the original stays: an unreferenced file
   * is harmless, a referenced one gone is not, and a row left `received` is
   * finished by the recovery sweep. The ingest event of a row that
   * was written cannot be taken back (the log is append-only), so the undo is
   * recorded too.
   */
  private async forget(contentId: string | null, sha256: string, mediaPath: string, actor?: Principal): Promise<void> {
    try {
      await this.transactions.run(async () => {
        await this.contents.lockMedia(sha256);
        if (contentId) {
          await this.contents.delete(contentId);
          await this.audit.record(actor ?? null, 'content.ingest.withdraw', { type: 'content', id: contentId }, { reason: 'queue.unavailable' });
        }
        if ((await this.contents.countByMediaSha256(sha256)) === 0) await this.store.remove(mediaPath);
      });
    } catch (error) {
      this.logger.warn(`Could not undo the upload of ${sha256}: ${(error as Error).message}`);
    }
  }
}
