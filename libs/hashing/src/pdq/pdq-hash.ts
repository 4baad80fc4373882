import { PDQ_HASH_BITS, PDQ_HASH_BYTES, PDQ_HASH_WORDS, PDQ_HEX_LENGTH } from './pdq.constants';

/*
 * Binary forms of a PDQ hash. Both keep the reference's text order, so the
 * first hex character (bits 255..252) lands in the high bits of element 0:
 *
 * - bytes: Uint8Array(32), bytes[0] = hex chars 0..1 = bits 255..248.
 * - words: Uint32Array(8), words[0] = hex chars 0..7 = bits 255..224.
 *
 * Bit k (k = 16*i + j, DCT row i, column j) is therefore bit (k & 31) of
 * words[7 - (k >>> 5)].
 */

const HEX_DIGITS = '0123456789abcdef';

// Byte -> two lowercase hex chars; string concatenation of these beats toString(16) + padStart.
const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >>> 4] + HEX_DIGITS[b & 15]);

// Popcount of a nibble: the hex distance loop works a character at a time.
const NIBBLE_POPCOUNT = new Uint8Array([0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4]);

/** Nibble value of a hex character code, or -1. */
function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20; // sscanf("%hx") in the reference accepts upper case too
  if (lower >= 97 && lower <= 102) return lower - 87; // a-f
  return -1;
}

function invalidHex(hex: string): Error {
  const shown = hex.length > 80 ? `${hex.slice(0, 80)}...` : hex;
  return new Error(`Invalid PDQ hash "${shown}": expected ${PDQ_HEX_LENGTH} hex characters`);
}

/** True for a 64-character hex string (either case). */
export function isPdqHex(value: string): boolean {
  if (typeof value !== 'string' || value.length !== PDQ_HEX_LENGTH) return false;
  for (let i = 0; i < PDQ_HEX_LENGTH; i++) {
    if (hexNibble(value.charCodeAt(i)) < 0) return false;
  }
  return true;
}

// Bound once: a global lookup (Math) per call is slow under Jest's vm sandbox, where the matching specs run.
const { imul } = Math;

/** Bit count of a 32-bit integer (SWAR; V8 has no popcount intrinsic). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return imul(x, 0x01010101) >>> 24;
}

export function pdqHexToWords(hex: string, out: Uint32Array = new Uint32Array(PDQ_HASH_WORDS)): Uint32Array {
  if (hex.length !== PDQ_HEX_LENGTH) throw invalidHex(hex);
  for (let w = 0; w < PDQ_HASH_WORDS; w++) {
    let word = 0;
    for (let c = w * 8, end = c + 8; c < end; c++) {
      const nibble = hexNibble(hex.charCodeAt(c));
      if (nibble < 0) throw invalidHex(hex);
      word = (word << 4) | nibble;
    }
    out[w] = word;
  }
  return out;
}

export function pdqWordsToHex(words: Uint32Array, offset = 0): string {
  let hex = '';
  for (let w = offset; w < offset + PDQ_HASH_WORDS; w++) {
    const word = words[w];
    hex += BYTE_TO_HEX[word >>> 24] + BYTE_TO_HEX[(word >>> 16) & 255];
    hex += BYTE_TO_HEX[(word >>> 8) & 255] + BYTE_TO_HEX[word & 255];
  }
  return hex;
}

export function pdqHexToBytes(hex: string, out: Uint8Array = new Uint8Array(PDQ_HASH_BYTES)): Uint8Array {
  if (hex.length !== PDQ_HEX_LENGTH) throw invalidHex(hex);
  for (let b = 0; b < PDQ_HASH_BYTES; b++) {
    const hi = hexNibble(hex.charCodeAt(2 * b));
    const lo = hexNibble(hex.charCodeAt(2 * b + 1));
    if (hi < 0 || lo < 0) throw invalidHex(hex);
    out[b] = (hi << 4) | lo;
  }
  return out;
}

export function pdqBytesToHex(bytes: Uint8Array, offset = 0): string {
  if (bytes.length - offset < PDQ_HASH_BYTES) {
    throw new Error(`A PDQ hash needs ${PDQ_HASH_BYTES} bytes, got ${bytes.length - offset}`);
  }
  let hex = '';
  for (let b = offset; b < offset + PDQ_HASH_BYTES; b++) hex += BYTE_TO_HEX[bytes[b]];
  return hex;
}

/**
 * Hamming distance between two hex hashes, without allocating. Throws on
 * malformed input so a bad row never silently "matches".
 */
export function pdqHammingDistance(a: string, b: string): number {
  if (a.length !== PDQ_HEX_LENGTH) throw invalidHex(a);
  if (b.length !== PDQ_HEX_LENGTH) throw invalidHex(b);
  let distance = 0;
  for (let i = 0; i < PDQ_HEX_LENGTH; i++) {
    const x = hexNibble(a.charCodeAt(i));
    const y = hexNibble(b.charCodeAt(i));
    if (x < 0) throw invalidHex(a);
    if (y < 0) throw invalidHex(b);
    distance += NIBBLE_POPCOUNT[x ^ y];
  }
  return distance;
}

/**
 * Hamming distance between two word-form hashes. The offsets let a caller
 * keep a whole hash list in one Uint32Array (8 words per hash) and scan it
 * without creating views.
 */
export function pdqHammingDistanceWords(a: Uint32Array, b: Uint32Array, aOffset = 0, bOffset = 0): number {
  return (
    popcount32(a[aOffset] ^ b[bOffset]) +
    popcount32(a[aOffset + 1] ^ b[bOffset + 1]) +
    popcount32(a[aOffset + 2] ^ b[bOffset + 2]) +
    popcount32(a[aOffset + 3] ^ b[bOffset + 3]) +
    popcount32(a[aOffset + 4] ^ b[bOffset + 4]) +
    popcount32(a[aOffset + 5] ^ b[bOffset + 5]) +
    popcount32(a[aOffset + 6] ^ b[bOffset + 6]) +
    popcount32(a[aOffset + 7] ^ b[bOffset + 7])
  );
}

/** Hamming distance between two byte-form hashes. */
export function pdqHammingDistanceBytes(a: Uint8Array, b: Uint8Array, aOffset = 0, bOffset = 0): number {
  let distance = 0;
  for (let i = 0; i < PDQ_HASH_BYTES; i++) distance += popcount32(a[aOffset + i] ^ b[bOffset + i]);
  return distance;
}

/** Value of bit k (0..255, reference numbering) of a word-form hash. */
export function pdqHashBit(words: Uint32Array, k: number): 0 | 1 {
  if (!Number.isInteger(k) || k < 0 || k >= PDQ_HASH_BITS) throw new RangeError(`Bit index ${k} is outside 0..255`);
  return ((words[PDQ_HASH_WORDS - 1 - (k >>> 5)] >>> (k & 31)) & 1) as 0 | 1;
}

/** `hash` with exactly `bits` bits flipped (the lowest ones), so its distance from `hash` is `bits`: a near copy at a known distance. */
export function flipPdqBits(hash: string, bits: number): string {
  const nibbles = hash.split('').map((c) => parseInt(c, 16));
  for (let bit = 0; bit < bits; bit++) nibbles[63 - Math.floor(bit / 4)] ^= 1 << bit % 4;
  return nibbles.map((n) => n.toString(16)).join('');
}
