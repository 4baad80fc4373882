import { prng } from './image.factory';

/** A random PDQ-like hash (64 hex characters) from a seed. */
export function randomPdq(seed: number): string {
  const random = prng(seed);
  return Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
}

/** `hash` with exactly `bits` bits flipped (the first ones), so its distance from `hash` is `bits`. */
export function flipBits(hash: string, bits: number): string {
  const nibbles = hash.split('').map((c) => parseInt(c, 16));
  for (let bit = 0; bit < bits; bit++) nibbles[63 - Math.floor(bit / 4)] ^= 1 << bit % 4;
  return nibbles.map((n) => n.toString(16)).join('');
}
