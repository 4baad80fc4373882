import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository } from '@loupe/database';
import { MediaStore, PreviewRenderer } from '@loupe/media';
import type { MediaBody } from '../review/tasks/preview.service';
import { asApiErrors } from '../signals/media-error.mapper';

/**
 * What an analyst sees of an item (a trend's examples, a training pack's
 * items): always the softened preview, blurred and greyscale at the
 * configured defaults (PREVIEW_BLUR), a contact sheet for a video. Analysts
 * hold no review task, so there is no reveal here, and no exposure to count.
 */
@Injectable()
export class ContentPreviewService {
  constructor(
    private readonly contents: ContentRepository,
    private readonly store: MediaStore,
    private readonly renderer: PreviewRenderer,
    private readonly config: LoupeConfig,
  ) {}

  async preview(contentId: string): Promise<MediaBody> {
    const content = await this.contents.findById(contentId);
    if (!content) throw ApiError.notFound('content.not_found', `No content ${contentId}`);
    const blur = Math.max(1, this.config.wellbeing.previewBlur);
    // The same derived file the moderators' preview makes with these settings: rendered once per item.
    const name = `preview-b${blur}-grey.jpg`;
    const cached = this.store.derivedPath(content.mediaSha256, name);
    if (await this.store.exists(cached)) return { data: await this.store.read(cached), contentType: 'image/jpeg' };
    const original = this.store.resolve(content.mediaPath);
    const rendered = await asApiErrors(() =>
      content.kind === 'video'
        ? this.renderer.videoContactSheet(original, { blur, greyscale: true, format: 'jpeg' })
        : this.renderer.imagePreview(original, { blur, greyscale: true, format: 'jpeg' }),
    );
    await this.store.writeDerived(content.mediaSha256, name, rendered.data);
    return { data: rendered.data, contentType: rendered.contentType };
  }
}
