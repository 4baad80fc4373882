import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MediaError } from '../media.error';
import { checkVideoContainer, sniffVideoContainer } from './video-container-check';

function box(type: string, payloadBytes: number, declared?: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(declared ?? payloadBytes + 8, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, Buffer.alloc(payloadBytes, 0x11)]);
}

function largeBox(type: string, payloadBytes: number, declared: bigint): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write(type, 4, 'latin1');
  header.writeBigUInt64BE(declared, 8);
  return Buffer.concat([header, Buffer.alloc(payloadBytes)]);
}

// EBML header (ID 1A45DFA3, 1-byte size), then a Segment (ID 18538067) of the given size.
function matroska(segmentSize: Buffer, payloadBytes: number): Buffer {
  const ebmlBody = Buffer.from('4286810142f7810142f2810442f381084282847765626d', 'hex');
  return Buffer.concat([
    Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | ebmlBody.length]),
    ebmlBody,
    Buffer.from([0x18, 0x53, 0x80, 0x67]),
    segmentSize,
    Buffer.alloc(payloadBytes),
  ]);
}

let dir: string;
async function check(bytes: Buffer): Promise<unknown> {
  const file = path.join(dir, `c-${Math.random().toString(36).slice(2)}.bin`);
  await writeFile(file, bytes);
  return checkVideoContainer(file).catch((e: unknown) => e);
}
const codeOf = (result: unknown) => (result instanceof MediaError ? result.code : result);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-container-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sniffVideoContainer', () => {
  it('knows ISO BMFF and EBML by their first bytes', () => {
    expect(sniffVideoContainer(box('ftyp', 8))).toBe('iso-bmff');
    expect(sniffVideoContainer(box('wide', 0))).toBe('iso-bmff');
    expect(sniffVideoContainer(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toBe('matroska');
    expect(sniffVideoContainer(Buffer.from('#EXTM3U\n#EXT-X'))).toBeNull();
    expect(sniffVideoContainer(Buffer.from('ffconcat version 1.0'))).toBeNull();
    expect(sniffVideoContainer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeNull();
  });
});

describe('checkVideoContainer, MP4', () => {
  it('accepts complete files, index first or last', async () => {
    expect(await check(Buffer.concat([box('ftyp', 16), box('moov', 100), box('mdat', 1000)]))).toBe('iso-bmff');
    expect(await check(Buffer.concat([box('ftyp', 16), box('mdat', 1000), box('moov', 100)]))).toBe('iso-bmff');
    expect(await check(Buffer.concat([box('ftyp', 16), box('moov', 50), largeBox('mdat', 64, 80n)]))).toBe('iso-bmff');
    // size 0: the last box runs to the end of the file
    expect(await check(Buffer.concat([box('ftyp', 16), box('moov', 50), box('mdat', 40, 0)]))).toBe('iso-bmff');
  });

  it('tolerates junk after a complete file', async () => {
    expect(await check(Buffer.concat([box('ftyp', 16), box('moov', 50), box('mdat', 40), Buffer.from([0, 0, 0])]))).toBe('iso-bmff');
    expect(await check(Buffer.concat([box('ftyp', 16), box('moov', 50), Buffer.alloc(12, 0xff)]))).toBe('iso-bmff');
  });

  it('finds a cut media box and a missing index', async () => {
    expect(codeOf(await check(Buffer.concat([box('ftyp', 16), box('moov', 50), box('mdat', 100, 5000)])))).toBe('media.truncated');
    expect(codeOf(await check(Buffer.concat([box('ftyp', 16), box('mdat', 100)])))).toBe('media.truncated');
    expect(codeOf(await check(Buffer.concat([box('ftyp', 16), largeBox('mdat', 10, 1n << 40n)])))).toBe('media.truncated');
    expect(codeOf(await check(Buffer.concat([box('ftyp', 16), Buffer.from([0, 0, 0])])))).toBe('media.truncated');
  });

  it('calls broken structure before the index corrupt', async () => {
    expect(codeOf(await check(Buffer.concat([box('ftyp', 16), Buffer.alloc(20, 0xfe)])))).toBe('media.corrupt');
    expect(codeOf(await check(Buffer.concat([box('ftyp', 16), box('moov', 0, 3)])))).toBe('media.corrupt');
  });

  it('refuses what is neither MP4 nor Matroska', async () => {
    expect(codeOf(await check(Buffer.from('not a video at all')))).toBe('media.unsupported_type');
  });
});

describe('checkVideoContainer, Matroska', () => {
  it('accepts a Segment that fits, and one of unknown size', async () => {
    expect(await check(matroska(Buffer.from([0x80 | 100]), 100))).toBe('matroska');
    expect(await check(matroska(Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 10))).toBe('matroska');
    expect(await check(matroska(Buffer.from([0x40, 200]), 200))).toBe('matroska');
  });

  it('finds a Segment longer than the file', async () => {
    expect(codeOf(await check(matroska(Buffer.from([0x40, 200]), 120)))).toBe('media.truncated');
    expect(codeOf(await check(matroska(Buffer.from([0x01, 0, 0, 0, 0, 0, 0x10, 0]), 10)))).toBe('media.truncated');
  });

  it('finds a file cut inside its headers', async () => {
    expect(codeOf(await check(matroska(Buffer.alloc(0), 0).subarray(0, 20)))).toBe('media.truncated');
    expect(codeOf(await check(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x00])))).toBe('media.corrupt');
  });
});
