import { dct64To16 } from './pdq-dct';
import { DIHEDRAL_RULES, dctToHashWords, dihedralDct } from './pdq-dihedral';
import { pdqWordsToHex } from './pdq-hash';
import { pdqQuality } from './pdq-quality';
import { PDQ_DCT_SIZE, PDQ_DOWNSAMPLE_SIZE, PDQ_HASH_WORDS, PDQ_MIN_DIMENSION, PDQ_ZERO_HASH } from './pdq.constants';
import { assertLumaSize, assertRgbSize, fillLumaRows, rgbView } from './rgb-luma';
import { torbenMedian } from './torben-median';
import { WasmJaroszDownsampler } from './wasm-downsampler';

const N = PDQ_DOWNSAMPLE_SIZE;
const K = PDQ_DCT_SIZE;
const DIHEDRAL_COUNT = DIHEDRAL_RULES.length;

/**
 * The Jarosz blur and decimation to 64x64: WasmJaroszDownsampler (the
 * default, SIMD) or JaroszDownsampler (scalar TypeScript), bit-identical.
 */
export interface PdqDownsampler {
  downsampleRgb(rgb: Uint8Array, width: number, height: number, out: Float32Array): void;
  downsampleLuma(luma: Float32Array, width: number, height: number, out: Float32Array): void;
}

export interface PdqHashResult {
  /** 64 lowercase hex characters, in the reference's text order. */
  hash: string;
  /** 0..100; below PDQ_QUALITY_FLOOR the hash should not be used for matching. */
  quality: number;
}

export interface PdqDihedralHashResult {
  /**
   * 8 hashes in PDQ_DIHEDRAL_ORDER. The first is `hash()`'s, except that for
   * exactly 64x64 input the reference's hash() skips the blur and this does not.
   */
  hashes: string[];
  quality: number;
}

/**
 * PDQ perceptual hashing of decoded pixels, bit-exact with Meta's C++
 * reference (pdqHash256FromFloatLuma / pdqDihedralHash256esFromFloatLuma) on
 * the same pixel array. Decoding and any pre-resizing are the caller's job.
 *
 * An instance keeps its working buffers between calls (the blur's up to
 * 32 MiB, see WasmJaroszDownsampler). It is synchronous and not re-entrant:
 * use one per worker thread.
 */
export class PdqHasher {
  private readonly buffer64x64 = new Float32Array(N * N);
  private readonly buffer16x64 = new Float32Array(K * N);
  private readonly dct = new Float32Array(K * K);
  private readonly variant = new Float32Array(K * K);
  private readonly words = new Uint32Array(PDQ_HASH_WORDS);
  private readonly medians = new Float64Array(4);

  constructor(private readonly downsampler: PdqDownsampler = new WasmJaroszDownsampler()) {}

  /** Hashes packed 8-bit RGB (3 bytes per pixel, row-major, no row padding). */
  hash(rgb: Uint8Array, width: number, height: number): PdqHashResult {
    assertRgbSize(rgb, width, height);
    if (isDegenerate(width, height)) return { hash: PDQ_ZERO_HASH, quality: 0 };
    if (width === N && height === N) {
      // The reference skips the blur for exact 64x64 input (pre-scaled video frames).
      fillLumaRows(rgbView(rgb), N, 0, N, this.buffer64x64, 0);
    } else {
      this.downsampler.downsampleRgb(rgb, width, height, this.buffer64x64);
    }
    return this.hashDownsampled();
  }

  /** All 8 dihedral hashes of packed RGB; see PDQ_DIHEDRAL_ORDER. */
  hashDihedral(rgb: Uint8Array, width: number, height: number): PdqDihedralHashResult {
    assertRgbSize(rgb, width, height);
    if (isDegenerate(width, height)) return zeroDihedral();
    // No 64x64 shortcut here: the reference's dihedral entry point always blurs.
    this.downsampler.downsampleRgb(rgb, width, height, this.buffer64x64);
    return this.hashDownsampledDihedral();
  }

  /**
   * Hashes a float luma plane (row-major, `width * height` values), e.g. a
   * video frame's Y already converted by the caller. The input is not modified.
   */
  hashFromLuma(luma: Float32Array, width: number, height: number): PdqHashResult {
    assertLumaSize(luma, width, height);
    if (isDegenerate(width, height)) return { hash: PDQ_ZERO_HASH, quality: 0 };
    if (width === N && height === N) this.buffer64x64.set(luma.subarray(0, N * N));
    else this.downsampler.downsampleLuma(luma, width, height, this.buffer64x64);
    return this.hashDownsampled();
  }

  /** All 8 dihedral hashes of a float luma plane. The input is not modified. */
  hashDihedralFromLuma(luma: Float32Array, width: number, height: number): PdqDihedralHashResult {
    assertLumaSize(luma, width, height);
    if (isDegenerate(width, height)) return zeroDihedral();
    this.downsampler.downsampleLuma(luma, width, height, this.buffer64x64);
    return this.hashDownsampledDihedral();
  }

  private hashDownsampled(): PdqHashResult {
    const quality = pdqQuality(this.buffer64x64);
    dct64To16(this.buffer64x64, this.buffer16x64, this.dct);
    dctToHashWords(this.dct, torbenMedian(this.dct), this.words);
    return { hash: pdqWordsToHex(this.words), quality };
  }

  private hashDownsampledDihedral(): PdqDihedralHashResult {
    const quality = pdqQuality(this.buffer64x64);
    dct64To16(this.buffer64x64, this.buffer16x64, this.dct);
    const medians = this.medians;
    medians.fill(NaN);
    const hashes = new Array<string>(DIHEDRAL_COUNT);
    for (let v = 0; v < DIHEDRAL_COUNT; v++) {
      dihedralDct(this.dct, v, this.variant);
      // Torben's result depends only on the multiset, shared by variants of one class.
      const cls = DIHEDRAL_RULES[v].medianClass;
      if (Number.isNaN(medians[cls])) medians[cls] = torbenMedian(this.variant);
      dctToHashWords(this.variant, medians[cls], this.words);
      hashes[v] = pdqWordsToHex(this.words);
    }
    return { hashes, quality };
  }
}

function isDegenerate(width: number, height: number): boolean {
  return width < PDQ_MIN_DIMENSION || height < PDQ_MIN_DIMENSION;
}

function zeroDihedral(): PdqDihedralHashResult {
  return { hashes: new Array<string>(DIHEDRAL_COUNT).fill(PDQ_ZERO_HASH), quality: 0 };
}

let sharedHasher: PdqHasher | undefined;

/** `PdqHasher#hash` on a lazily created per-thread instance. */
export function pdqHash(rgb: Uint8Array, width: number, height: number): PdqHashResult {
  return (sharedHasher ??= new PdqHasher()).hash(rgb, width, height);
}

/** `PdqHasher#hashDihedral` on a lazily created per-thread instance. */
export function pdqHashDihedral(rgb: Uint8Array, width: number, height: number): PdqDihedralHashResult {
  return (sharedHasher ??= new PdqHasher()).hashDihedral(rgb, width, height);
}
