import { ApiClient, contentForm, makeImage, makeVideo, startTestApp, TestApp } from '@loupe/testing';

jest.setTimeout(120_000);

const fileForm = (data: Buffer, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  return form;
};

/** A machine without ffmpeg (FFMPEG_PATH points at nothing): images work, video is refused plainly. */
describe('a server without ffmpeg', () => {
  let loupe: TestApp;
  let service: ApiClient;
  let video: Buffer;

  beforeAll(async () => {
    video = await makeVideo({ seconds: 1, seed: 84, size: '96x64' });
    loupe = await startTestApp('embedded', { FFMPEG_PATH: '/nonexistent/bin/ffmpeg' });
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  it('starts, and /health says video is unavailable', async () => {
    const health = await service.get('/health', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', video: 'unavailable' });
  });

  it('answers a video upload with 503 media.video_unavailable naming the missing program', async () => {
    const response = await service.post('/v1/contents', { form: contentForm(video, {}, 'clip.mp4', 'mp4') });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ statusCode: 503, code: 'media.video_unavailable', details: { missing: ['ffmpeg'] } });
    expect(response.body.message).toContain('ffmpeg (/nonexistent/bin/ffmpeg) is not installed');
  });

  it.each(['/v1/hashes/hash', '/v1/hashes/lookup'])('answers a video sent to %s with the same 503', async (endpoint) => {
    const response = await service.post(endpoint, { form: fileForm(video, 'clip.mp4') });
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('media.video_unavailable');
  });

  it('still takes images', async () => {
    const response = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 84 })) });
    expect(response.status).toBe(202);
  });
});
