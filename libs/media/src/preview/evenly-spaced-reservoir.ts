/**
 * Keeps an evenly spaced subset of a stream of unknown length in bounded
 * memory: every `stride`-th item, and when more than `capacity` are held,
 * every other one is dropped and the stride doubles. At the end it holds
 * between capacity/2 and capacity items (or all of a short stream), spaced
 * equally from the first item to near the last.
 *
 * Used for videos that declare no duration (a live WebM upload), where the
 * wanted times cannot be planned before decoding.
 */
export class EvenlySpacedReservoir<T> {
  private kept: T[] = [];
  private stride = 1;
  private offered = 0;

  constructor(private readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 2)) throw new RangeError(`capacity must be an integer of at least 2, got ${capacity}`);
  }

  offer(item: T): void {
    // Held items sit at multiples of the stride, so halving by position keeps multiples of twice the stride.
    if (this.offered % this.stride === 0) {
      this.kept.push(item);
      if (this.kept.length > this.capacity) {
        this.kept = this.kept.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
    this.offered++;
  }

  /** Items held, in the order offered. */
  items(): readonly T[] {
    return this.kept;
  }

  /** How many stream items lie between two consecutive held items. */
  spacing(): number {
    return this.stride;
  }
}
