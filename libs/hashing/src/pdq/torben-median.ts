const fround = Math.fround;

/**
 * Torben Mogensen's median selection, as used by the reference, on float32
 * values. It returns the lower median (the ((n + 1) / 2)-th smallest value
 * for even n) without reordering the input. The bisection guess is taken in
 * float32 like the reference's, which decides the result when values tie.
 *
 * The result depends only on the multiset of values, not their order.
 */
export function torbenMedian(values: Float32Array, count = values.length): number {
  if (count <= 0) throw new RangeError('Median of an empty set');
  let min = values[0];
  let max = min;
  for (let i = 1; i < count; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }

  const target = (count + 1) >> 1;
  let guess = 0;
  let less = 0;
  let equal = 0;
  let maxBelow = 0;
  let minAbove = 0;
  for (;;) {
    guess = fround(fround(min + max) / 2);
    less = 0;
    let greater = 0;
    equal = 0;
    maxBelow = min;
    minAbove = max;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (v < guess) {
        less++;
        if (v > maxBelow) maxBelow = v;
      } else if (v > guess) {
        greater++;
        if (v < minAbove) minAbove = v;
      } else {
        equal++;
      }
    }
    if (less <= target && greater <= target) break;
    if (less > greater) max = maxBelow;
    else min = minAbove;
  }
  if (less >= target) return maxBelow;
  if (less + equal >= target) return guess;
  return minAbove;
}
