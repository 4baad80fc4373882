import { PDQ_HASH_WORDS, pdqHexToWords } from '@loupe/hashing';
import type { PdqHashInput } from './index.types';

/** Writes a hash in word form at out[offset..offset + 8); throws on a malformed one. */
export function writeHashWords(hash: PdqHashInput, out: Uint32Array, offset: number): void {
  if (typeof hash === 'string') {
    pdqHexToWords(hash, out.subarray(offset, offset + PDQ_HASH_WORDS));
    return;
  }
  if (!(hash instanceof Uint32Array) || hash.length !== PDQ_HASH_WORDS) {
    throw new TypeError(`A PDQ hash is 64 hex characters or a Uint32Array of ${PDQ_HASH_WORDS} words`);
  }
  out.set(hash, offset);
}

/** Queries packed 8 words each, as the kernels take them. */
export function packHashes(hashes: readonly PdqHashInput[]): Uint32Array {
  const packed = new Uint32Array(hashes.length * PDQ_HASH_WORDS);
  hashes.forEach((hash, i) => writeHashWords(hash, packed, i * PDQ_HASH_WORDS));
  return packed;
}

/** Ids are the caller's 32-bit unsigned row keys. */
export function assertEntryId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new RangeError(`Index entry ids are 32-bit unsigned integers, got ${id}`);
  }
}

/** Thresholds are inclusive Hamming distances, 0..256. */
export function assertMaxDistance(maxDistance: number): void {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 256) {
    throw new RangeError(`maxDistance must be an integer in 0..256, got ${maxDistance}`);
  }
}
