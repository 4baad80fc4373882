import { sql } from 'drizzle-orm';
import { ContentRepository, DatabaseConnection } from '@loupe/database';
import { JobDispatcher } from '@loupe/queue';
import { SignalExtractor } from '@loupe/domain/signals';
import { MediaStore, storedVideoProbe } from '@loupe/media';
import { ApiClient, contentForm, makeImage, makeVideo, startTestApp, TestApp, uploadVideoSettled } from '@loupe/testing';

jest.setTimeout(180_000);

/**
 * A video is probed once, when it is uploaded: the probe is kept with the
 * item, and the media job (in whichever worker process) decodes by it
 * instead of running ffprobe on the file again.
 */
describe.each(['embedded', 'real'] as const)("a video's probe (%s)", (stores) => {
  let loupe: TestApp;
  let service: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp(stores);
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  it('is kept with the item at upload; a decode given a probe does not probe the file', async () => {
    const upload = await uploadVideoSettled(service, await makeVideo({ seconds: 3, seed: 8, size: '160x120' }));
    const row = (await loupe.get(ContentRepository).findById(upload.id))!;
    const probe = storedVideoProbe(row.mediaProbe);
    expect(probe).toMatchObject({ codec: 'h264', codedWidth: 160, codedHeight: 120, frameRate: 25 });
    const item = (await service.get(`/v1/contents/${upload.id}`)).body;
    // At VPDQ_FPS=1: one hash a second of the 3 s video.
    expect(item.frames).toHaveLength(3);
    // The API shows the stream as the probe read it.
    expect(item.media).toMatchObject({ format: 'mp4', width: 160, height: 120, video: { frameRate: 25, codec: 'h264', hasAudio: false, rotation: 0 } });
    expect(item.media.video.durationSeconds).toBeCloseTo(3, 1);

    // Decoding by a probe that says 5 frames a second (not the file's 25) samples every 5th
    // frame and times it by that rate: the file was not probed again.
    const path = loupe.get(MediaStore).resolve(row.mediaPath);
    const signals = await loupe.get(SignalExtractor).video(path, { probe: { ...probe!, frameRate: 5, frameRateRational: '5/1' } });
    expect(signals.frames).toHaveLength(15);
    expect(signals.frames.map((f) => f.timestamp)).toEqual(Array.from({ length: 15 }, (_, i) => i));

    // The kept probe is still held to this process's limits.
    await expect(loupe.get(SignalExtractor).video(path, { probe: { ...probe!, duration: 100_000 } })).rejects.toMatchObject({ code: 'media.too_long' });
  });

  it('is not kept for an image', async () => {
    const upload = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 81 })) });
    expect(upload.status).toBe(202);
    expect((await loupe.get(ContentRepository).findById(upload.body.id))!.mediaProbe).toBeNull();
    expect((await service.get(`/v1/contents/${upload.body.id}`)).body.media.video).toBeNull();
  });

  it("decodes a retried media job by the probe kept with the item, not the file's", async () => {
    const { id } = await uploadVideoSettled(service, await makeVideo({ seconds: 3, seed: 9, size: '160x120' }));
    expect((await service.get(`/v1/contents/${id}`)).body.frames).toHaveLength(3);
    // The kept probe now says 5 frames a second, and the item is back to processing, as a retried job finds it.
    await loupe.get(DatabaseConnection).rows(
      sql`update contents set status = 'processing', media_probe = media_probe || '{"frameRate": 5, "frameRateRational": "5/1"}'::jsonb where id = ${id} returning id`,
    );
    const jobId = `media-again-${id}`;
    await loupe.get(JobDispatcher).run('content.process-media', { contentId: id }, { jobId, attempt: 2, maxAttempts: 3, progress: async () => undefined });
    // Every 5th of the 75 frames, timed at 5 a second: the job read no probe of its own (the file's says 25,
    // and this process still holds the upload's reading of it).
    const frames = (await service.get(`/v1/contents/${id}`)).body.frames as { timestamp: number }[];
    expect(frames.map((f) => f.timestamp)).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });
});
