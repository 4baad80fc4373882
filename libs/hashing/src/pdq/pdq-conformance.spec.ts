import { readFileSync } from 'node:fs';
import path from 'node:path';
import { haveSharedData } from '@loupe/common/testing';
import { ImageCodec } from '@loupe/media';
import { PDQ_MATCH_DISTANCE } from './pdq.constants';
import { pdqHammingDistance, pdqHammingDistanceWords, pdqHexToWords } from './pdq-hash';
import { JaroszDownsampler } from './jarosz-downsampler';
import { PdqHasher } from './pdq-hasher';
import { rgbToLuma } from './rgb-luma';

/*
 * Bit-exactness against Meta's C++ reference, using the shared vectors
 * (decoded PNG pixels -> reference hashes). They live outside the repository
 * at ../shared/vectors; a clone without them skips this file.
 */

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const VECTORS = path.resolve(REPO_ROOT, '../shared/vectors');
const EXPECTED = path.join(VECTORS, 'pdq', 'expected.tsv');
const HAVE_VECTORS = haveSharedData(EXPECTED, 'PDQ conformance');
const describeVectors = HAVE_VECTORS ? describe : describe.skip;

interface ExpectedRow {
  file: string;
  width: number;
  height: number;
  quality: number;
  hash: string;
  dihedral: string[];
}

function readTsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = header.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

function loadExpected(): ExpectedRow[] {
  return readTsv(EXPECTED).map((r) => ({
    file: r.file,
    width: Number(r.width),
    height: Number(r.height),
    quality: Number(r.quality),
    hash: r.pdq_hex,
    dihedral: [1, 2, 3, 4, 5, 6, 7, 8].map((k) => r[`dih_hex_${k}`]),
  }));
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describeVectors('PDQ conformance with the C++ reference (../shared/vectors/pdq)', () => {
  const rows = HAVE_VECTORS ? loadExpected() : [];
  const codec = new ImageCodec();
  // One hasher of each kind for every image, as a worker would use it: buffer
  // reuse across sizes is part of what is being tested. The default blur is
  // the WebAssembly SIMD kernel; the scalar TypeScript one must agree too.
  const hashers = [
    ['wasm', new PdqHasher()],
    ['scalar', new PdqHasher(new JaroszDownsampler())],
  ] as const;

  it('has the expected vector set', () => {
    expect(rows).toHaveLength(76);
    for (const row of rows) expect(row.dihedral.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  });

  for (const row of rows) {
    it.each(hashers)(`${row.file} (${row.width}x${row.height}), %s blur`, async (_blur, hasher) => {
      const image = await codec.decodeRgb(path.join(VECTORS, 'pdq', row.file));
      expect([image.width, image.height]).toEqual([row.width, row.height]);

      const single = hasher.hash(image.data, image.width, image.height);
      expect(single).toEqual({ hash: row.hash, quality: row.quality });

      const dihedral = hasher.hashDihedral(image.data, image.width, image.height);
      expect(dihedral).toEqual({ hashes: row.dihedral, quality: row.quality });

      // Same pixels through the luma entry points (the video path).
      const luma = rgbToLuma(image.data, image.width, image.height);
      expect(hasher.hashFromLuma(luma, image.width, image.height)).toEqual(single);
      expect(hasher.hashDihedralFromLuma(luma, image.width, image.height)).toEqual(dihedral);
    });
  }

  describe('Hamming distance against the reference match lists (../shared/vectors/match)', () => {
    const cases = [
      ['needles.txt', 'haystack.txt', 'expected-matches-d31.tsv', PDQ_MATCH_DISTANCE],
      ['needles.txt', 'haystack.txt', 'expected-matches-d63.tsv', 63],
      ['boundary-needles.txt', 'boundary-haystack.txt', 'expected-boundary-d31.tsv', PDQ_MATCH_DISTANCE],
      ['boundary-needles.txt', 'boundary-haystack.txt', 'expected-boundary-d63.tsv', 63],
    ] as const;

    it.each(cases)('%s in %s -> %s', (needlesFile, haystackFile, expectedFile, threshold) => {
      const dir = path.join(VECTORS, 'match');
      const needles = readLines(path.join(dir, needlesFile));
      const haystack = readLines(path.join(dir, haystackFile));
      const packed = new Uint32Array(haystack.length * 8);
      haystack.forEach((h, i) => pdqHexToWords(h, packed.subarray(i * 8, i * 8 + 8)));
      const needleWords = new Uint32Array(8);

      const expected = readTsv(path.join(dir, expectedFile));
      expect(expected).toHaveLength(needles.length);
      for (const row of expected) {
        const needle = needles[Number(row.needle_index)];
        expect(row.needle_hex).toBe(needle);
        pdqHexToWords(needle, needleWords);
        const indices: number[] = [];
        const distances: number[] = [];
        let formsDisagree = 0;
        haystack.forEach((h, i) => {
          const d = pdqHammingDistance(needle, h);
          if (pdqHammingDistanceWords(needleWords, packed, 0, i * 8) !== d) formsDisagree++;
          if (d <= threshold) {
            indices.push(i);
            distances.push(d);
          }
        });
        expect(formsDisagree).toBe(0);
        expect(indices.join(',')).toBe(row.haystack_indices);
        expect(distances.join(',')).toBe(row.distances);
        expect(indices.length).toBe(Number(row.match_count));
      }
    });
  });
});
