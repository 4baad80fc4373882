import path from 'node:path';
import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { ApiClient, contentForm, filesUnder, makeCorruptPixelsPng, makeDecompressionBomb, makeImage, makeVideo, startTestApp, TestApp, truncate, waitFor } from '@loupe/testing';

jest.setTimeout(120_000);

const UPLOAD_LIMIT = 256 * 1024;


describe('bad input', () => {
  let loupe: TestApp;
  let service: ApiClient;

  const countRows = async (table: string) => {
    const [row] = await loupe.get(DatabaseConnection).rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
    return row.n;
  };

  /** A refused upload leaves no content row, no stored original and no staged file. */
  const expectNothingWritten = async () => {
    expect(await countRows('contents')).toBe(0);
    expect(await filesUnder(path.join(loupe.config.storage.mediaDir, 'originals'))).toEqual([]);
    expect(await filesUnder(path.join(loupe.config.storage.mediaDir, 'tmp'))).toEqual([]);
  };

  beforeAll(async () => {
    loupe = await startTestApp('embedded', { UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT), IMAGE_MAX_PIXELS: '20000000', VIDEO_MAX_SECONDS: '4' });
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  describe('uploads refused at ingest, with nothing half-written', () => {
    it.each([
      ['a non-image file', async () => Buffer.from('#!/bin/sh\necho this is not an image\n'.repeat(20)), 415, 'media.unsupported_type'],
      ['a truncated JPEG', async () => truncate(await makeImage({ seed: 3, format: 'jpeg' })), 422, 'media.truncated'],
      ['a truncated PNG', async () => truncate(await makeImage({ seed: 3, format: 'png' })), 422, 'media.truncated'],
      ['a decompression bomb (a small PNG declaring 60000x60000)', async () => makeDecompressionBomb(), 422, 'media.too_many_pixels'],
      ['an empty file', async () => Buffer.alloc(0), 400, 'upload.empty_file'],
    ])('%s', async (_name, make, status, code) => {
      const file = await make();
      const response = await service.post('/v1/contents', { form: contentForm(file) });
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, code, correlationId: expect.any(String) });
      expect(response.headers.get('x-request-id')).toBe(response.body.correlationId);
      await expectNothingWritten();
    });

    it.each([
      ['a truncated MP4', async () => truncate(await makeVideo({ seconds: 2, seed: 5, size: '96x64' }), 0.5), 422, /^media\.(truncated|corrupt)$/],
      ['a video longer than VIDEO_MAX_SECONDS', async () => makeVideo({ seconds: 6, seed: 6, size: '96x64' }), 422, /^media\.too_long$/],
      ['an ffconcat file list posing as a video', async () => Buffer.from('ffconcat version 1.0\nfile /etc/passwd\n'), 415, /^media\.unsupported_type$/],
      ['an MP4 header with nothing behind it', async () => (await makeVideo({ seconds: 1, seed: 7, size: '96x64' })).subarray(0, 40), 422, /^media\.(truncated|corrupt)$/],
    ])('%s', async (_name, make, status, code) => {
      const response = await service.post('/v1/contents', { form: contentForm(await make(), {}, 'clip.mp4', 'mp4') });
      expect(response.status).toBe(status);
      expect(response.body.code).toMatch(code);
      await expectNothingWritten();
    });

    it('an upload over the size limit gets 413', async () => {
      const big = Buffer.concat([await makeImage({ seed: 4, format: 'png' }), Buffer.alloc(UPLOAD_LIMIT)]);
      const response = await service.post('/v1/contents', { form: contentForm(big) });
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('upload.too_large');
      await expectNothingWritten();
    });

    it.each([
      ['creatorId', { creatorId: undefined }, 'request.invalid'],
      ['region', { region: undefined }, 'request.invalid'],
      ['language', { language: undefined }, 'request.invalid'],
    ])('a missing %s field gets 400', async (field, fields, code) => {
      const response = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 5 }), fields) });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe(code);
      expect(response.body.message).toContain(field);
      await expectNothingWritten();
    });

    it('a missing file gets 400', async () => {
      const response = await service.post('/v1/contents', { form: contentForm(null) });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('upload.file_missing');
      await expectNothingWritten();
    });

    it('an unknown field gets 400 naming it', async () => {
      const response = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 5 }), { colour: 'blue' }) });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'request.unknown_field', message: expect.stringContaining('colour') });
      await expectNothingWritten();
    });

    it('a wrong field type gets 400: region must be an ISO 3166 code', async () => {
      const response = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 5 }), { region: 'Narnia' }) });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('request.invalid');
      await expectNothingWritten();
    });

    it('a JSON body instead of multipart gets 415', async () => {
      const response = await service.post('/v1/contents', { json: { creatorId: 'x' } });
      expect(response.status).toBe(415);
      expect(response.body.code).toBe('request.not_multipart');
    });
  });

  it('an image that passes the header checks but cannot be decoded ends as failed, with its reason visible', async () => {
    const response = await service.post('/v1/contents', { form: contentForm(makeCorruptPixelsPng()) });
    expect(response.status).toBe(202);
    const item = await waitFor(
      async () => (await service.get(`/v1/contents/${response.body.id}`)).body,
      (c) => c.status === 'failed',
      'the media job to fail',
    );
    expect(item.failure).toEqual({ code: expect.stringMatching(/^media\./), reason: expect.any(String) });
    expect(item.failure.reason.length).toBeGreaterThan(0);
  });

  it('an unknown content id gets 404, a malformed one 400', async () => {
    const unknown = await service.get('/v1/contents/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('content.not_found');
    const malformed = await service.get('/v1/contents/not-an-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('request.invalid_id');
  });

  it('malformed JSON gets 400', async () => {
    const response = await fetch(`${loupe.baseUrl}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': loupe.admin.key! },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('request.invalid_json');
  });

  it('an unknown route gets 404 with a code', async () => {
    const response = await service.get('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('http.not_found');
  });
});
