import { readFile } from 'node:fs/promises';
import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository, ContentRow } from '@loupe/database';
import { checkContainer, ImageCodec, MediaError, MediaStore, sniffFormat, StagedFile } from '@loupe/media';
import { JobQueue } from '@loupe/queue';
import type { Principal } from '../auth/principal';

export interface ContentFields {
  caption?: string;
  hashtags: string[];
  creatorId: string;
  region: string;
  language: string;
}

const mediaErrorToApi = (error: MediaError): ApiError =>
  error.code === 'media.unsupported_type'
    ? ApiError.unsupportedMediaType(error.code, error.message)
    : ApiError.unprocessable(error.code, error.message, error.details);

/**
 * Accepts an upload: checks it is a sound image without decoding it, stores
 * it under its content address, records it and queues the media job. Either
 * all of that happens or none: a refused upload leaves no row and no file.
 */
@Injectable()
export class ContentIngestService {
  private readonly logger = new Logger(ContentIngestService.name);

  constructor(
    private readonly contents: ContentRepository,
    private readonly store: MediaStore,
    private readonly images: ImageCodec,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
  ) {}

  async ingest(staged: StagedFile, fields: ContentFields, _actor: Principal): Promise<ContentRow> {
    const data = await readFile(staged.path);
    const format = sniffFormat(data.subarray(0, 32));
    if (!format) {
      throw ApiError.unsupportedMediaType('media.unsupported_type', 'The file is not a JPEG, PNG, WebP or GIF image');
    }
    const problem = checkContainer(format.format, data);
    if (problem) throw ApiError.unprocessable(problem.code, problem.message);
    let probe;
    try {
      probe = await this.images.probe(data, this.config.media);
    } catch (error) {
      if (error instanceof MediaError) throw mediaErrorToApi(error);
      throw error;
    }

    const mediaPath = await this.store.commit(staged, format.extension);
    let content: ContentRow;
    try {
      content = await this.contents.create({
        kind: format.kind,
        mediaSha256: staged.sha256,
        mediaPath,
        mediaFormat: format.format,
        mediaBytes: staged.bytes,
        width: probe.width,
        height: probe.height,
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
      // Without its job the item would sit unprocessed; undo and let the caller retry.
      this.logger.error(`Could not queue the media job for ${content.id}: ${(error as Error).message}`);
      await this.contents.delete(content.id);
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
