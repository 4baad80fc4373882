import {
  isPdqHex,
  pdqBytesToHex,
  pdqHammingDistance,
  pdqHammingDistanceBytes,
  pdqHammingDistanceWords,
  pdqHashBit,
  pdqHexToBytes,
  pdqHexToWords,
  pdqWordsToHex,
  popcount32,
} from './pdq-hash';
import {
  PDQ_HASH_BYTES,
  PDQ_HASH_WORDS,
  PDQ_HEX_LENGTH,
  PDQ_MATCH_DISTANCE,
  PDQ_QUALITY_FLOOR,
  PDQ_ZERO_HASH,
} from './pdq.constants';

/** Deterministic pseudo-random hex hashes (xorshift32). */
function randomHashes(count: number, seed = 0x2545f491): string[] {
  let s = seed;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 8 }, () => next().toString(16).padStart(8, '0')).join(''),
  );
}

/** Bit-by-bit distance via BigInt: independent of every helper under test. */
function slowDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x > 0n) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

function flipBit(hex: string, k: number): string {
  return (BigInt(`0x${hex}`) ^ (1n << BigInt(k))).toString(16).padStart(64, '0');
}

describe('PDQ hash utilities', () => {
  const hashes = randomHashes(40);

  it('exposes the ThreatExchange thresholds', () => {
    expect(PDQ_MATCH_DISTANCE).toBe(31);
    expect(PDQ_QUALITY_FLOOR).toBe(50);
    expect(PDQ_ZERO_HASH).toHaveLength(PDQ_HEX_LENGTH);
  });

  it('round-trips hex through bytes and words', () => {
    for (const hex of [...hashes, PDQ_ZERO_HASH, 'f'.repeat(64)]) {
      const bytes = pdqHexToBytes(hex);
      const words = pdqHexToWords(hex);
      expect(bytes).toHaveLength(PDQ_HASH_BYTES);
      expect(words).toHaveLength(PDQ_HASH_WORDS);
      expect(pdqBytesToHex(bytes)).toBe(hex);
      expect(pdqWordsToHex(words)).toBe(hex);
    }
  });

  it('keeps the text order in the binary forms', () => {
    const hex = '0123456789abcdef'.repeat(4);
    expect(Array.from(pdqHexToBytes(hex).subarray(0, 3))).toEqual([0x01, 0x23, 0x45]);
    expect(pdqHexToWords(hex)[0]).toBe(0x01234567);
    expect(pdqHexToWords(hex)[7]).toBe(0x89abcdef);
  });

  it('numbers bits like the reference: bit k is 2^k of the hex value', () => {
    const words = pdqHexToWords(PDQ_ZERO_HASH);
    for (const k of [0, 1, 15, 16, 31, 32, 100, 255]) {
      const one = pdqHexToWords(flipBit(PDQ_ZERO_HASH, k));
      expect(pdqHashBit(one, k)).toBe(1);
      expect(pdqHashBit(words, k)).toBe(0);
      expect(pdqHammingDistanceWords(one, words)).toBe(1);
    }
    // Bit 255 is the top bit of the first hex character, bit 0 the bottom of the last.
    expect(flipBit(PDQ_ZERO_HASH, 255)[0]).toBe('8');
    expect(flipBit(PDQ_ZERO_HASH, 0)[63]).toBe('1');
    expect(() => pdqHashBit(words, 256)).toThrow(RangeError);
  });

  it('accepts upper case and writes lower case', () => {
    const upper = hashes[0].toUpperCase();
    expect(isPdqHex(upper)).toBe(true);
    expect(pdqWordsToHex(pdqHexToWords(upper))).toBe(hashes[0]);
    expect(pdqHammingDistance(upper, hashes[0])).toBe(0);
  });

  it.each([
    ['too short', 'abc'],
    ['too long', `${PDQ_ZERO_HASH}0`],
    ['not hex', `${'0'.repeat(63)}g`],
    ['whitespace', ` ${'0'.repeat(63)}`],
  ])('rejects malformed hashes (%s)', (_label, bad) => {
    expect(isPdqHex(bad)).toBe(false);
    expect(() => pdqHexToWords(bad)).toThrow(/Invalid PDQ hash/);
    expect(() => pdqHexToBytes(bad)).toThrow(/Invalid PDQ hash/);
    expect(() => pdqHammingDistance(bad, PDQ_ZERO_HASH)).toThrow(/Invalid PDQ hash/);
    expect(() => pdqHammingDistance(PDQ_ZERO_HASH, bad)).toThrow(/Invalid PDQ hash/);
  });

  it('counts bits', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(-1)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
    for (let v = 1; v < 1 << 20; v = (v * 3 + 7) >>> 0) {
      expect(popcount32(v)).toBe(v.toString(2).split('').filter((c) => c === '1').length);
    }
  });

  it('computes Hamming distances that agree across all forms', () => {
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i; j < hashes.length; j += 7) {
        const expected = slowDistance(hashes[i], hashes[j]);
        expect(pdqHammingDistance(hashes[i], hashes[j])).toBe(expected);
        expect(pdqHammingDistanceWords(pdqHexToWords(hashes[i]), pdqHexToWords(hashes[j]))).toBe(expected);
        expect(pdqHammingDistanceBytes(pdqHexToBytes(hashes[i]), pdqHexToBytes(hashes[j]))).toBe(expected);
      }
    }
    expect(pdqHammingDistance(PDQ_ZERO_HASH, 'f'.repeat(64))).toBe(256);
  });

  it('hits the match threshold exactly', () => {
    let near = hashes[3];
    for (let k = 0; k < PDQ_MATCH_DISTANCE; k++) near = flipBit(near, k * 8);
    expect(pdqHammingDistance(hashes[3], near)).toBe(PDQ_MATCH_DISTANCE);
    expect(pdqHammingDistance(hashes[3], flipBit(near, 255))).toBe(PDQ_MATCH_DISTANCE + 1);
  });

  it('reads packed hash lists at offsets', () => {
    const packed = new Uint32Array(hashes.length * PDQ_HASH_WORDS);
    hashes.forEach((h, i) => pdqHexToWords(h, packed.subarray(i * 8, i * 8 + 8)));
    expect(pdqWordsToHex(packed, 5 * 8)).toBe(hashes[5]);
    expect(pdqHammingDistanceWords(packed, packed, 2 * 8, 9 * 8)).toBe(slowDistance(hashes[2], hashes[9]));
    const bytes = new Uint8Array(2 * PDQ_HASH_BYTES);
    pdqHexToBytes(hashes[1], bytes.subarray(32));
    expect(pdqBytesToHex(bytes, 32)).toBe(hashes[1]);
    expect(() => pdqBytesToHex(bytes, 33)).toThrow(/32 bytes/);
  });
});
