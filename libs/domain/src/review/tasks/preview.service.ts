import { Injectable } from '@nestjs/common';
import { ContentRepository, TransactionManager } from '@loupe/database';
import { MediaStore, PreviewRenderer } from '@loupe/media';
import { AuditService } from '../../audit/audit.service';
import { TaskLeaseService } from './task-lease.service';
import { asApiErrors } from '../../signals/media-error.mapper';
import { PreferencesService } from '../../wellbeing/preferences.service';
import type { Principal } from '@loupe/vocabulary';

export interface MediaBody {
  data?: Buffer;
  /** An absolute path, streamed rather than read whole (originals can be large videos). */
  path?: string;
  contentType: string;
}

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
};

/**
 * What a moderator sees of an item. By default a softened preview, blurred
 * and greyscale to their preference (a contact sheet for a video, so never
 * its sound); the original only after an explicit reveal, which is audited.
 */
@Injectable()
export class PreviewService {
  constructor(
    private readonly contents: ContentRepository,
    private readonly store: MediaStore,
    private readonly renderer: PreviewRenderer,
    private readonly leases: TaskLeaseService,
    private readonly preferences: PreferencesService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async preview(taskId: string, moderator: Principal, overrides: { blur?: number; greyscale?: boolean } = {}): Promise<MediaBody> {
    const task = await this.leases.requireLease(taskId, moderator);
    const content = (await this.contents.findById(task.contentId))!;
    const preferences = await this.preferences.effective(moderator.id);
    const blur = overrides.blur ?? preferences.blur;
    const greyscale = overrides.greyscale ?? preferences.greyscale;
    // Previews are derived from the bytes alone, so one rendering serves every moderator with the same settings.
    const name = `preview-b${blur}-${greyscale ? 'grey' : 'colour'}.jpg`;
    const cached = this.store.derivedPath(content.mediaSha256, name);
    if (await this.store.exists(cached)) return { data: await this.store.read(cached), contentType: 'image/jpeg' };
    const original = this.store.resolve(content.mediaPath);
    const rendered = await asApiErrors(() =>
      content.kind === 'video'
        ? this.renderer.videoContactSheet(original, { blur, greyscale, format: 'jpeg' })
        : this.renderer.imagePreview(original, { blur, greyscale, format: 'jpeg' }),
    );
    await this.store.writeDerived(content.mediaSha256, name, rendered.data);
    return { data: rendered.data, contentType: rendered.contentType };
  }

  /** The original, for the moderator holding the task; every reveal is logged. */
  async reveal(taskId: string, moderator: Principal): Promise<MediaBody> {
    return this.transactions.run(async () => {
      const task = await this.leases.requireLease(taskId, moderator);
      const content = (await this.contents.findById(task.contentId))!;
      await this.audit.record(moderator, 'review.reveal', { type: 'review_task', id: taskId }, { contentId: content.id, caseId: task.caseId });
      return { path: this.store.resolve(content.mediaPath), contentType: MIME[content.mediaFormat] ?? 'application/octet-stream' };
    });
  }
}
