import { crc32 } from 'node:zlib';
import type { ImageFormat } from './media-format';

export type ContainerProblem = { code: 'media.truncated' | 'media.corrupt'; message: string } | null;

const truncated = (message: string): ContainerProblem => ({ code: 'media.truncated', message });
const corrupt = (message: string): ContainerProblem => ({ code: 'media.corrupt', message });

function checkJpeg(data: Buffer): ContainerProblem {
  // Walk the header segments to the first start-of-scan; an end-of-image
  // marker must follow it. Entropy-coded data escapes 0xFF, so a cut file
  // cannot end in a stray FFD9, and an EXIF thumbnail's FFD9 sits before SOS.
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) return corrupt('JPEG segment marker expected');
    const marker = data[offset + 1];
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd9) return corrupt('JPEG ends before any image data');
    const length = data.readUInt16BE(offset + 2);
    if (length < 2) return corrupt('JPEG segment length is invalid');
    if (offset + 2 + length > data.length) return truncated('JPEG header is cut short');
    if (marker === 0xda) {
      return data.lastIndexOf(Buffer.from([0xff, 0xd9])) > offset + 2 + length ? null : truncated('JPEG image data is cut short (no end-of-image marker)');
    }
    offset += 2 + length;
  }
  return truncated('JPEG is cut short before its image data');
}

function checkPng(data: Buffer): ContainerProblem {
  let offset = 8;
  let first = true;
  while (offset + 12 <= data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (first && type !== 'IHDR') return corrupt('PNG does not start with IHDR');
    first = false;
    const end = offset + 12 + length;
    if (end > data.length) return truncated(`PNG chunk ${type} is cut short`);
    const stored = data.readUInt32BE(offset + 8 + length);
    if (crc32(data.subarray(offset + 4, offset + 8 + length)) !== stored) return corrupt(`PNG chunk ${type} fails its checksum`);
    if (type === 'IEND') return null;
    offset = end;
  }
  return truncated('PNG has no IEND chunk');
}

function checkGif(data: Buffer): ContainerProblem {
  return data.length > 13 && data[data.length - 1] === 0x3b ? null : truncated('GIF has no trailer');
}

function checkWebp(data: Buffer): ContainerProblem {
  const declared = data.length >= 12 ? data.readUInt32LE(4) + 8 : Infinity;
  return declared <= data.length ? null : truncated('WebP is shorter than its RIFF header declares');
}

/**
 * A structural check of the container, cheap enough for the ingest request:
 * it rejects truncated and damaged files before they are stored, without
 * decoding pixels. The media job's full decode catches what remains.
 */
export function checkContainer(format: ImageFormat, data: Buffer): ContainerProblem {
  switch (format) {
    case 'jpeg':
      return checkJpeg(data);
    case 'png':
      return checkPng(data);
    case 'gif':
      return checkGif(data);
    case 'webp':
      return checkWebp(data);
  }
}
