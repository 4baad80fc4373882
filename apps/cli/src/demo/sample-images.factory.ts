import { crc32, deflateSync } from 'node:zlib';
import { syntheticPhotoRgb } from '@loupe/common';

/**
 * Synthetic pictures for the sample history (syntheticPhotoRgb, as the
 * tests make them: distant PDQ hashes for different seeds, so no two sample
 * items match by accident). Encoded here as PNG with node:zlib: the command
 * line does not load sharp for this.
 */
export function samplePng(seed: number, width = 320, height = 240): Buffer {
  const rgb = syntheticPhotoRgb(seed, width, height);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3); // filter byte 0: none
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
