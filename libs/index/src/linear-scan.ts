import { PDQ_HASH_WORDS, pdqHammingDistanceWords } from '@loupe/hashing';
import { assertMaxDistance, packHashes } from './hash-words';
import { compareHits } from './match-buffer';
import type { IndexEntry, IndexHit, PdqHashInput } from './index.types';

/**
 * The trivially correct answer: every (query, entry) pair compared with the
 * plain word-form distance of @loupe/hashing. The specs hold the index
 * against it; it shares no code with the kernels.
 */
export function linearScan(
  entries: readonly IndexEntry[],
  queries: readonly PdqHashInput[],
  maxDistance: number,
): IndexHit[] {
  assertMaxDistance(maxDistance);
  const entryWords = packHashes(entries.map((e) => e.hash));
  const queryWords = packHashes(queries);
  const hits: IndexHit[] = [];
  for (let q = 0; q < queries.length; q++) {
    for (let e = 0; e < entries.length; e++) {
      const distance = pdqHammingDistanceWords(queryWords, entryWords, q * PDQ_HASH_WORDS, e * PDQ_HASH_WORDS);
      if (distance <= maxDistance) hits.push({ query: q, id: entries[e].id, distance });
    }
  }
  return hits.sort(compareHits);
}
