import { createHash } from 'node:crypto';
import type { LoupeHttp } from '../loupe/http';
import { encodeFramesToMp4, renderSvg, transformImage } from '@loupe/media';
import { SCENE_SIZE, sceneSvg } from '../world/scenes';
import type { ReuploadTransform, WorldItem, WorldVideo } from '../world/world';
import { sleep } from './concurrency';
import type { DecisionFeed } from './decision-feed';

const SETTLED = (status: string) => !['received', 'processing'].includes(status);

/**
 * The bytes a world item uploads: its scene rendered, and for a re-upload the
 * original's scene transformed; a clip is the scene zooming in slowly, each
 * frame transformed as a re-upload's picture is, re-encoded at its quality.
 */
export async function renderItem(item: WorldItem): Promise<{ file: Buffer; filename: string; mime: string }> {
  const png = await renderSvg(sceneSvg(item.media.scene, item.media.seed));
  const transform = item.media.transform;
  if (item.media.video) return { file: await renderClip(png, item.media.video, transform), filename: `${item.index}.mp4`, mime: 'video/mp4' };
  if (!transform) return { file: png, filename: `${item.index}.png`, mime: 'image/png' };
  const format = transform.format ?? 'png';
  return { file: await transformImage(png, transform), filename: `${item.index}.${format === 'jpeg' ? 'jpg' : format}`, mime: `image/${format}` };
}

/** Up to 4% more zoom per frame, each frame back at the scene's size. */
const ZOOM_PER_FRAME = 0.04;

async function renderClip(png: Buffer, video: WorldVideo, transform: ReuploadTransform | undefined): Promise<Buffer> {
  const frames: Buffer[] = [];
  for (let k = 0; k < video.frames; k++) {
    const crop = ZOOM_PER_FRAME * k;
    let frame = k === 0 ? png : await transformImage(png, { crop, scale: 1 / (1 - crop), format: 'png' });
    if (transform) frame = await transformImage(frame, { ...transform, format: 'png' });
    frames.push(frame);
  }
  const scale = transform?.scale ?? 1;
  const side = Math.round(SCENE_SIZE * (1 - (transform?.crop ?? 0)) * scale);
  // A re-upload's JPEG quality 60..95 read as x264's rate factor 32..18: a worse copy, as re-encoding makes.
  const crf = transform?.quality ? Math.round(32 - ((transform.quality - 60) / 35) * 14) : 23;
  return encodeFramesToMp4(frames, { fps: video.fps, width: side, height: side, crf });
}

export interface Uploaded {
  id: string;
  sha256: string;
  /** GET /v1/contents/:id once it settled (or when the wait gave up: check `settled`). */
  content: any;
  settled: boolean;
}

/**
 * Uploads a world item as the platform would (POST /v1/contents with its
 * caption, hashtags, creator, region, language and the time it was posted),
 * then waits for Loupe's decision: by its webhook when the feed is open,
 * then one read; else (or when no event came within a minute) polling with
 * backoff for up to five minutes. Throws when the upload is refused.
 */
export async function uploadAndSettle(service: LoupeHttp, item: WorldItem, postedAt: Date, feed: DecisionFeed | null = null): Promise<Uploaded> {
  const { file, filename, mime } = await renderItem(item);
  const { id } = await service.upload(file, filename, mime, {
    caption: item.caption,
    hashtags: item.hashtags.join(','),
    creatorId: item.creatorId,
    region: item.region,
    language: item.language,
    postedAt: postedAt.toISOString(),
  });
  const sha256 = createHash('sha256').update(file).digest('hex');
  if (feed && (await feed.wait(id, 60_000))) {
    const content = await service.get(`/v1/contents/${id}`);
    if (SETTLED(content.status)) return { id, sha256, content, settled: true };
  }
  const deadline = Date.now() + 300_000;
  // Short waits first: most uploads settle within half a second, and each poll is one indexed read.
  for (let wait = 50; ; wait = Math.min(500, wait * 1.5)) {
    const content = await service.get(`/v1/contents/${id}`);
    if (SETTLED(content.status)) return { id, sha256, content, settled: true };
    if (Date.now() > deadline) return { id, sha256, content, settled: false };
    await sleep(wait);
  }
}
