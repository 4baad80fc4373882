/** Bits in a PDQ hash: one per DCT coefficient of the 16x16 low-frequency block. */
export const PDQ_HASH_BITS = 256;

/** Length of the binary forms (see pdq-hash.ts): 32 bytes or 8 32-bit words. */
export const PDQ_HASH_BYTES = PDQ_HASH_BITS / 8;
export const PDQ_HASH_WORDS = PDQ_HASH_BITS / 32;

/** Length of the reference text form (sixteen `%04hx` words). */
export const PDQ_HEX_LENGTH = 64;

/**
 * Hamming distance at or below which two hashes are treated as the same
 * picture. ThreatExchange recommends 31; it is inclusive (`<=`).
 */
export const PDQ_MATCH_DISTANCE = 31;

/**
 * Hashes with a quality below this carry too little gradient energy to be
 * trusted (flat or nearly flat images); ThreatExchange discards quality <= 49.
 */
export const PDQ_QUALITY_FLOOR = 50;

/** Largest quality value the reference can report. */
export const PDQ_MAX_QUALITY = 100;

/** Below this many pixels on either side the reference returns a zero hash. */
export const PDQ_MIN_DIMENSION = 5;

/** Side of the blurred, decimated image the DCT runs on. */
export const PDQ_DOWNSAMPLE_SIZE = 64;

/** Side of the low-frequency DCT block whose signs (versus the median) form the hash. */
export const PDQ_DCT_SIZE = 16;

/** A hash with every bit clear: what degenerate inputs hash to. */
export const PDQ_ZERO_HASH = '0'.repeat(PDQ_HEX_LENGTH);

/**
 * Order of `hashDihedral` results, the same as the reference's
 * `pdqDihedralHash256esFromFloatLuma` and `pdq-photo-hasher --pdqdih`.
 */
export const PDQ_DIHEDRAL_ORDER = [
  'original',
  'rotate90', // counter-clockwise
  'rotate180',
  'rotate270', // counter-clockwise, i.e. 90 clockwise
  'flipX', // top and bottom swap
  'flipY', // left and right swap (mirror)
  'flipPlus1', // transpose
  'flipMinus1', // anti-transpose
] as const;

export type PdqDihedralTransform = (typeof PDQ_DIHEDRAL_ORDER)[number];
