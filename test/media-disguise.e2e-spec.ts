import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { manyFrameGif, renderLavfiApng, renderLavfiVideo, rewriteMp4Duration } from '@loupe/media/testing';
import { ApiClient, contentForm, makeImage, makeVideo, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(180_000);

/** A video whose header says 1 s (MP4), or says nothing (a live-style WebM): 8 s of 25 fps unless told otherwise. */
async function videoWithHiddenLength(kind: 'lying-mp4' | 'no-duration-webm', seconds = 8): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loupe-hidden-'));
  try {
    const file = path.join(dir, kind === 'lying-mp4' ? 'v.mp4' : 'v.webm');
    const source = 'testsrc2=size=96x64:rate=25';
    if (kind === 'lying-mp4') {
      await renderLavfiVideo(file, { source, duration: seconds, codec: 'h264' });
      await rewriteMp4Duration(file, 1);
    } else {
      await renderLavfiVideo(file, { source, duration: seconds, codec: 'vp8', live: true });
    }
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A two-frame GIF, one second per frame, of the test fixtures in the given order. */
async function twoFrameGif(first: string, second: string): Promise<Buffer> {
  const frame = async (name: string) =>
    sharp(await readFile(path.join(__dirname, 'fixtures', name)))
      .resize(224, 224, { fit: 'fill' })
      .png()
      .toBuffer();
  return sharp([await frame(first), await frame(second)], { join: { animated: true } })
    .gif({ delay: [1000, 1000], dither: 0 })
    .toBuffer();
}

/** An animated PNG of 4 frames, half a second each. */
async function animatedPng(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loupe-apng-'));
  try {
    const file = path.join(dir, 'anim.png');
    await renderLavfiApng(file, { source: 'testsrc2=size=96x64:rate=2', frames: 4 });
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fileForm = (data: Buffer, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  return form;
};

/** Media that hides what it is (issue 8): a forged trailer, a lying header, too many frames, an animation. */
describe('media that hides what it is', () => {
  let loupe: TestApp;
  let service: ApiClient;

  const content = async (id: string) => (await service.get(`/v1/contents/${id}`)).body;
  const settle = (id: string) => waitFor(() => content(id), (c) => !['received', 'processing'].includes(c.status), `content ${id} to settle`);

  beforeAll(async () => {
    loupe = await startTestApp('embedded', { VIDEO_MAX_SECONDS: '3', SYNC_HASH_MAX_FRAMES: '40', VIDEO_MAX_FRAMES: '1000', VIDEO_MAX_DIMENSION: '256' });
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  describe('a JPEG cut short, with an end-of-image marker appended', () => {
    const forged = async () => {
      const whole = await makeImage({ seed: 81, format: 'jpeg' });
      return Buffer.concat([whole.subarray(0, Math.floor(whole.length * 0.6)), Buffer.from([0xff, 0xd9])]);
    };

    it('is decoded in full by the media job, which fails it as truncated', async () => {
      const response = await service.post('/v1/contents', { form: contentForm(await forged(), {}, 'forged.jpg', 'jpeg') });
      expect(response.status).toBe(202);
      const item = await settle(response.body.id);
      expect(item.status).toBe('failed');
      expect(item.failure).toEqual({ code: 'media.truncated', reason: expect.stringContaining('premature end') });
    });

    it('is refused by the hashes API with 422', async () => {
      const response = await service.post('/v1/hashes/hash', { form: fileForm(await forged(), 'forged.jpg') });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('media.truncated');
    });
  });

  describe.each(['lying-mp4', 'no-duration-webm'] as const)('a video that hides its length (%s)', (kind) => {
    it('passes the header check at ingest, then fails as too long once decoding passes VIDEO_MAX_SECONDS', async () => {
      const ext = kind === 'lying-mp4' ? 'mp4' : 'webm';
      const response = await service.post('/v1/contents', { form: contentForm(await videoWithHiddenLength(kind), {}, `clip.${ext}`, ext) });
      expect(response.status).toBe(202);
      const item = await settle(response.body.id);
      expect(item.status).toBe('failed');
      expect(item.failure).toEqual({ code: 'media.too_long', reason: expect.stringContaining('limit is 3 s') });
    });

    it('is refused by the hashes API with 422 media.too_long', async () => {
      const response = await service.post('/v1/hashes/hash', { form: fileForm(await videoWithHiddenLength(kind), 'clip') });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('media.too_long');
    });
  });

  describe('synchronous hashing is bounded by SYNC_HASH_MAX_FRAMES (40 here)', () => {
    it('refuses fps=0 on a video of 50 frames from its header, naming the limit, and hashes it at 1 fps', async () => {
      const video = await makeVideo({ seconds: 2, seed: 82, size: '96x64' });
      const every = await service.post('/v1/hashes/hash?fps=0', { form: fileForm(video, 'v.mp4') });
      expect(every.status).toBe(422);
      expect(every.body).toMatchObject({ code: 'media.too_many_frames', details: { maxFrames: 40, fps: 0, expectedFrames: 50 } });
      expect(every.body.message).toContain('limited to 40 frames');
      const sampled = await service.post('/v1/hashes/hash?fps=1', { form: fileForm(video, 'v.mp4') });
      expect(sampled.status).toBe(200);
      expect(sampled.body.frames).toHaveLength(2);
    });

    it('stops decoding at the limit when the header declares nothing', async () => {
      const response = await service.post('/v1/hashes/hash?fps=0', { form: fileForm(await videoWithHiddenLength('no-duration-webm', 2), 'v.webm') });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'media.too_many_frames', details: { maxFrames: 40 } });
      expect(response.body.message).toContain('limited to 40 frames');
    });
  });

  describe('an animated GIF is judged on all of its frames, as a video is', () => {
    it.each([
      ['ordinary first, borderline second', 'ordinary.jpg', 'borderline-adult-nudity.png'],
      ['borderline first, ordinary second', 'borderline-adult-nudity.png', 'ordinary.jpg'],
    ])('%s: goes to review, with a vPDQ hash per frame', async (_name, first, second) => {
      const response = await service.post('/v1/contents', { form: contentForm(await twoFrameGif(first, second), {}, 'anim.gif', 'gif') });
      expect(response.status).toBe(202);
      const item = await settle(response.body.id);
      expect(item.status).toBe('in_review');
      expect(item.decision).toMatchObject({ outcome: 'in_review', source: 'model', policyIds: ['adult_nudity'] });
      expect(item.frames.map((f: { frameNumber: number; timestamp: number }) => [f.frameNumber, f.timestamp])).toEqual([
        [0, 0],
        [1, 1],
      ]);
    });

    it('hashes an animated GIF as vPDQ through the hashes API', async () => {
      const response = await service.post('/v1/hashes/hash', { form: fileForm(await twoFrameGif('ordinary.jpg', 'borderline-adult-nudity.png'), 'a.gif') });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ kind: 'video', width: 224, height: 224, durationSeconds: 2 });
      expect(response.body.frames).toHaveLength(2);
    });

    it('refuses a 5,000-frame GIF past VIDEO_MAX_FRAMES (1000 here) at upload, with 422', async () => {
      const response = await service.post('/v1/contents', { form: contentForm(manyFrameGif(5000, 2), {}, 'many.gif', 'gif') });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'media.too_many_frames', details: { frames: 5000, maxFrames: 1000 } });
      const hashed = await service.post('/v1/hashes/hash', { form: fileForm(manyFrameGif(5000, 2), 'many.gif') });
      expect(hashed.status).toBe(422);
      expect(hashed.body.code).toBe('media.too_many_frames');
    });

    it('refuses a GIF that plays longer than VIDEO_MAX_SECONDS (3 s here) with 422', async () => {
      const response = await service.post('/v1/contents', { form: contentForm(manyFrameGif(100, 10), {}, 'long.gif', 'gif') });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'media.too_long', details: { duration: 10, maxSeconds: 3 } });
    });

    it('refuses an animation with frames wider than VIDEO_MAX_DIMENSION (256 here), which a still image may have', async () => {
      const frame = (r: number) => sharp({ create: { width: 300, height: 16, channels: 3, background: { r, g: 0, b: 0 } } }).png().toBuffer();
      const wide = await sharp([await frame(0), await frame(255)], { join: { animated: true } }).gif({ delay: [100, 100] }).toBuffer();
      const response = await service.post('/v1/contents', { form: contentForm(wide, {}, 'wide.gif', 'gif') });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'media.too_many_pixels', details: { width: 300, maxDimension: 256 } });
      const still = await service.post('/v1/contents', { form: contentForm(await frame(9), {}, 'wide.png', 'png') });
      expect(still.status).toBe(202);
    });
  });

  describe('an animated PNG, which sharp sees as one image, is decoded by ffmpeg as a video', () => {
    it('is hashed frame by frame by the hashes API', async () => {
      const response = await service.post('/v1/hashes/hash?fps=0', { form: fileForm(await animatedPng(), 'anim.png') });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ kind: 'video', width: 96, height: 64 });
      expect(response.body.frames.map((f: { frameNumber: number }) => f.frameNumber)).toEqual([0, 1, 2, 3]);
    });

    it('is ingested with vPDQ frames, and classified', async () => {
      const response = await service.post('/v1/contents', { form: contentForm(await animatedPng(), {}, 'anim.png', 'png') });
      expect(response.status).toBe(202);
      const item = await settle(response.body.id);
      expect(['allowed', 'in_review']).toContain(item.status);
      expect(item.frames.map((f: { frameNumber: number }) => f.frameNumber)).toEqual([0, 2]);
      expect(item.scores).toHaveLength(1);
    });
  });
});
