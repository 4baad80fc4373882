import { createReadStream } from 'node:fs';
import { StreamableFile } from '@nestjs/common';
import type { MediaBody } from '@loupe/domain/review';

/** A preview or an original as a response body; an original is streamed from disk, not read whole. */
export function toStreamableFile(body: MediaBody): StreamableFile {
  const options = { type: body.contentType, disposition: 'inline' };
  return body.path ? new StreamableFile(createReadStream(body.path), options) : new StreamableFile(body.data!, options);
}
