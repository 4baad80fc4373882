import { ApiClient, contentForm, makeImage, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(180_000);

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
    loupe = await startTestApp('embedded');
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
});
