import { flipPdqBits } from '@loupe/hashing';
import { prng } from './image.factory';

/** A random PDQ-like hash (64 hex characters) from a seed. */
export function randomPdq(seed: number): string {
  const random = prng(seed);
  return Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
}

/** `hash` with exactly `bits` bits flipped, so its distance from `hash` is `bits`. */
export const flipBits = flipPdqBits;
